//! Replication benchmarks (being written).
fn main() {}
