//! One fixture per kind of problem: `check` and `build` must both report it with its code,
//! message, position and suggestion, and exit 1 for errors (nothing published) or 0 for
//! warnings only (site built). Each kind is one row of a case table ([`table`]), grouped by
//! where the problem is.

mod table;

mod frameworks;
mod front_matter;
mod references;
mod soa27001;
mod soa_config;
mod soa_control;
mod systems;
mod whole;
