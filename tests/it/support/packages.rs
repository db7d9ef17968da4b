//! Deployment packages for `scan --code`'s tests and benchmark: zips written in memory, their
//! `CodeSha256`, and a loopback HTTP server that serves them by path, as Lambda's package store
//! would (no emulator serves a package's bytes).

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A zip of `files`, deflated as build tools write them.
pub fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Lambda's `CodeSha256` of a package: its SHA-256, base64.
pub fn code_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    aws_smithy_types::base64::encode(sha2::Sha256::digest(bytes))
}

/// What the server answers for a path.
#[derive(Clone)]
pub enum Answer {
    /// The bytes, whole.
    Bytes(Vec<u8>),
    /// A status with no body.
    Status(u16),
}

/// A loopback HTTP/1.1 server answering GETs by path (the query ignored), and counting them.
pub struct PackageServer {
    pub origin: String,
    answers: Arc<Mutex<HashMap<String, Answer>>>,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl PackageServer {
    pub async fn start() -> PackageServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let answers: Arc<Mutex<HashMap<String, Answer>>> = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (a, r) = (answers.clone(), requests.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let (a, r) = (a.clone(), r.clone());
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 4096];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match socket.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let text = String::from_utf8_lossy(&head);
                    let target = text.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let path = target.split('?').next().unwrap_or("/").to_string();
                    r.lock().unwrap().push(path.clone());
                    // The path served, or the longest one served that it starts with (moto names
                    // a package `NAME-UUID`).
                    let answer = {
                        let answers = a.lock().unwrap();
                        answers.get(&path).cloned().or_else(|| {
                            answers
                                .iter()
                                .filter(|(p, _)| p.ends_with('-') && path.starts_with(p.as_str()))
                                .max_by_key(|(p, _)| p.len())
                                .map(|(_, a)| a.clone())
                        })
                    };
                    let (status, body) = match answer {
                        Some(Answer::Bytes(b)) => (200, b),
                        Some(Answer::Status(s)) => (s, Vec::new()),
                        None => (404, Vec::new()),
                    };
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(&body).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        PackageServer {
            origin,
            answers,
            requests,
        }
    }

    /// Serves `answer` at `path` (`/snapshots/ACCOUNT/NAME-...`), or at every path that starts
    /// with it when it ends in `-`.
    pub fn serve(&self, path: &str, answer: Answer) {
        self.answers
            .lock()
            .unwrap()
            .insert(path.to_string(), answer);
    }

    /// The paths asked for so far.
    pub fn asked(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}
