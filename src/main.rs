/// mimalloc, not glibc's malloc: the dashboard parses on worker threads and
/// frees on others, and glibc kept what was freed in per-thread arenas and
/// in holes of its heaps. At 200,000 components the dashboard's resident
/// set peaked 700 MB above its live heap with glibc, 340 MB with mimalloc
/// (docs/performance.md, "The dashboard's memory at 200,000 components,
/// round 8"). The benchmarks that measure the dashboard in their own
/// process (benches/load.rs) set the same allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    demarc::cli::main()
}
