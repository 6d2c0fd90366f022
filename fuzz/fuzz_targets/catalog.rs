#![no_main]
// A Backstage catalog file: read, mapped and checked; never a panic or hang.
libfuzzer_sys::fuzz_target!(|data: &[u8]| demarc::backstage::fuzz_catalog(data));
