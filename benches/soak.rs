//! Soak test with injected faults (in progress).

fn main() {}
