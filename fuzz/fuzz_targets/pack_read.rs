#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| demarc::repo::fuzz_pack_read(data));
