#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| demarc::backstage::fuzz_catalog_owned(data));
