//! What every benchmark needs: its command-line options and its peak memory.

/// The value after `name` on the command line (`-- --functions 500`).
pub fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// True when cargo runs the benchmark (`cargo bench`); `cargo test --all-targets` builds and
/// runs benchmarks without `--bench`, and they must then do nothing.
pub fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Peak resident memory of this process in MB, from /proc (Linux; 0 elsewhere).
pub fn peak_rss_mb() -> f64 {
    proc_status_mb("VmHWM:")
}

/// Resident memory of this process now, in MB (Linux; 0 elsewhere).
#[allow(dead_code)]
pub fn rss_mb() -> f64 {
    proc_status_mb("VmRSS:")
}

fn proc_status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
