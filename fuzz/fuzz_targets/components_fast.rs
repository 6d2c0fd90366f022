#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| demarc::model::parse::fuzz_components_fast(data));
