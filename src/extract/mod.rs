//! Compliant JSON extraction (in progress).
