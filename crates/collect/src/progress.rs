//! Progress events a scan sends while it runs: defined in the model, where the explorer and the
//! stderr display read them without depending on the collectors.

pub use sprawl_model::ProgressEvent;
