//! Writing one version of the manual into its folder of the output: the [`Prefixed`] sink,
//! which lives with the other sinks in `crate::sink`.

pub use crate::sink::Prefixed;
