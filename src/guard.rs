//! The one guard around user code: catches a panic, and tells the panic hook
//! ([`panic_hook`](crate::panic_hook)) that the layer will report it.

use std::any::Any;
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the crate's panic hook is installed: only then is the guard depth worth keeping.
static HOOK_INSTALLED: AtomicBool = AtomicBool::new(false);

/// Called once by the panic hook's installation.
pub(crate) fn hook_installed() {
    HOOK_INSTALLED.store(true, Ordering::Release);
}

thread_local! {
    /// How many guards this thread is inside: the panic hook stays quiet for panics in them.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`, catching a panic. Every piece of user code the layer runs (the inner service, the
/// response future and body, `IntoCloudError` impls, style hooks, mappers) runs through here.
// Inlined: the closures return futures and responses, which an outlined call would copy.
#[inline(always)]
pub(crate) fn guarded<R>(f: impl FnOnce() -> R) -> Result<R, Box<dyn Any + Send>> {
    if !HOOK_INSTALLED.load(Ordering::Relaxed) {
        return catch_unwind(AssertUnwindSafe(f));
    }
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
