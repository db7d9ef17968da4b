//! Any bytes given to `sprawl::fuzzing::theme` (see there for what it checks).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sprawl::fuzzing::theme(data));
