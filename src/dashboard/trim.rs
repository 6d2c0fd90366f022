//! Gives memory the allocator holds but no longer uses back to the OS.
//!
//! glibc's malloc keeps what a thread freed in that thread's arena, and
//! holes in the middle of a heap, as resident memory: at 200,000
//! components the dashboard's resident set stood 700-900 MB above its live
//! heap after a load, an "as of" read or a walk (docs/performance.md, "The
//! dashboard's memory at 200,000 components, round 8"). `malloc_trim`
//! returns the free pages of every arena. It runs on the loader and walker
//! threads once their large data is freed, never on the UI thread.

/// Returns free heap pages to the OS where the allocator allows it.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("DEMARC_NO_TRIM").is_none() {
        // SAFETY: malloc_trim only walks glibc's own arenas, under their
        // locks; it is safe to call from any thread at any time.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}
