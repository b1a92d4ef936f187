//! Helpers shared by the integration tests: running the real binary, copying fixtures,
//! reading output trees and parsing the human-readable diagnostics. Each area is a module;
//! everything is re-exported here, so a test says `use common::*`.
#![allow(dead_code)]

mod csv_rows;
mod diag;
mod files;
mod git;
mod html;
mod links;
mod run;
mod sources;
mod systems;

pub(crate) use csv_rows::parse_csv;
pub(crate) use diag::*;
pub(crate) use files::*;
pub(crate) use git::*;
pub(crate) use html::*;
pub(crate) use links::*;
pub(crate) use run::*;
pub(crate) use sources::*;
pub(crate) use systems::*;
