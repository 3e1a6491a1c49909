//! Empty on purpose: gives the crate's build-dependencies (the host-side crates it unifies) a
//! build script to belong to.
fn main() {}
