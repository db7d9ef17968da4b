//! Any text given to the mute-file reader: see `sprawl::fuzzing::mute_parse`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sprawl::fuzzing::mute_parse(data));
