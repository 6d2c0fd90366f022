// The sample repository is embedded with include_dir!, which cannot tell
// cargo to rebuild when the files change; this does.
fn main() {
    println!("cargo:rerun-if-changed=sample-data");
    println!("cargo:rerun-if-changed=themes");
}
