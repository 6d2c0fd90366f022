//! The binary's allocator (`src/main.rs`: jemalloc on Linux), so what a
//! bench measures in its own process is what `demarc` does.

#[cfg(target_os = "linux")]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
demarc::jemalloc_settings!();
