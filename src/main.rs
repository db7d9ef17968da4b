use std::process::ExitCode;

fn main() -> ExitCode {
    // Panics are bugs: report them readably. User errors never reach this hook; the CLI prints
    // them as one line and exits with code 2.
    let _ = color_eyre::config::HookBuilder::default()
        .display_env_section(false)
        .install();
    sprawl::cli::main()
}
