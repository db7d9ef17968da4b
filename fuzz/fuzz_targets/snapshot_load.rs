//! Any bytes given to the snapshot loader: see `sprawl::fuzzing::snapshot_load`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sprawl::fuzzing::snapshot_load(data));
