fn main() {
    let path = std::env::args().nth(1).unwrap();
    let t = std::time::Instant::now();
    let s = sprawl::snapshot::load(std::path::Path::new(&path)).unwrap();
    let t1 = t.elapsed();
    let app = sprawl::tui::app::App::new(
        s,
        sprawl::tui::theme::Theme::preset("default").unwrap(),
        "x",
    );
    eprintln!("load {:?} app {:?}", t1, t.elapsed() - t1);
    std::mem::forget(app);
}
