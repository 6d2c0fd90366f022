fn main() -> std::process::ExitCode {
    demarc::cli::main()
}
