// The allocator: see Cargo.toml (jemalloc on Linux, issue 17).
#[cfg(target_os = "linux")]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
demarc::jemalloc_settings!();

fn main() -> std::process::ExitCode {
    demarc::cli::main()
}
