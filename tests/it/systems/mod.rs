//! AI systems as first-class: the inventory (`systems.yaml`), the records each system is
//! expected to have, coverage that counts systems, and their pages — over the real binary.

mod coverage;
mod pages;
