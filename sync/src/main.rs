//! `registry-hub`: the central registry's end of replication.
fn main() {}
