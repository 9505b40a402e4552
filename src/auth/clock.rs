//! The verifiers' clock: the system clock, or one a test controls.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// The time the verifiers compare request timestamps against.
///
/// ```
/// use std::time::SystemTime;
/// use tower_cloud_error::bce::{Clock, SystemClock};
///
/// assert!(SystemClock.now() <= SystemTime::now());
/// ```
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The system clock, the default.
///
/// ```
/// use std::time::UNIX_EPOCH;
/// use tower_cloud_error::bce::{Clock, SystemClock};
///
/// assert!(SystemClock.now() > UNIX_EPOCH);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that stands still until moved; clones share the time. For tests of expiry.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use tower_cloud_error::bce::{Clock, ManualClock};
///
/// let clock = ManualClock::new(UNIX_EPOCH);
/// let shared = clock.clone();
/// clock.advance(Duration::from_secs(60));
/// assert_eq!(shared.now(), UNIX_EPOCH + Duration::from_secs(60));
/// ```
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    /// A clock showing `now`.
    #[must_use]
    pub fn new(now: SystemTime) -> ManualClock {
        ManualClock(Arc::new(Mutex::new(now)))
    }

    /// Sets the time.
    pub fn set(&self, now: SystemTime) {
        *self.0.lock().unwrap_or_else(|poison| poison.into_inner()) = now;
    }

    /// Moves the time forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|poison| poison.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(|poison| poison.into_inner())
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ManualClock").field(&self.now()).finish()
    }
}
