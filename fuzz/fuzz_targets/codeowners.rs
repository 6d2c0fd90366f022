#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| demarc::codeowners::fuzz_parse(data));
