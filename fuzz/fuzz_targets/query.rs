//! Any bytes given to `sprawl::fuzzing::query` (see there for what it checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sprawl::fuzzing::query(data));
