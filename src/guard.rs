//! The one guard around user code: catches a panic, and tells the panic hook
//! ([`panic_hook`](crate::panic_hook)) that the layer will report it.

use std::any::Any;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    /// How many guards this thread is inside: the panic hook stays quiet for panics in them.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`, catching a panic. Every piece of user code the layer runs (the inner service, the
/// response future and body, `IntoCloudError` impls, style hooks, mappers) runs through here.
pub(crate) fn guarded<R>(f: impl FnOnce() -> R) -> Result<R, Box<dyn Any + Send>> {
    DEPTH.with(|depth| depth.set(depth.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|depth| depth.set(depth.get() - 1));
    result
}

/// Whether the current thread is running guarded code: a panic now will be caught and logged
/// by the layer.
pub(crate) fn is_guarded() -> bool {
    DEPTH.with(|depth| depth.get() > 0)
}
