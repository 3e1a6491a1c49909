//! Cancellation: an `AbortSignal` (per call) or `client.close()` (per client) drops the native
//! future of a call, and with it the request in flight and its connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use napi_derive::napi;
use tokio::sync::Notify;

/// A one-way switch: once cancelled, every current and future [`Token::cancelled`] completes.
#[derive(Debug, Default)]
pub struct Token {
    cancelled: AtomicBool,
    notify: Notify,
}

impl Token {
    /// Flips the switch and wakes every waiter.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// Completes once the token is cancelled (at once if it already is).
    pub async fn cancelled(&self) {
        loop {
            let notified = self.notify.notified();
            let mut notified = std::pin::pin!(notified);
            // Registered before the flag is read, so a cancel in between is not missed.
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

/// The native side of one call's `AbortSignal`: `lib/index.js` makes one per call that has a
/// signal and calls `cancel()` from the signal's `abort` event.
#[napi]
pub struct NativeSignal {
    pub(crate) token: Arc<Token>,
}

#[napi]
impl NativeSignal {
    /// A signal that is not cancelled yet.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        NativeSignal {
            token: Arc::new(Token::default()),
        }
    }

    /// Cancels every call made with this signal: their native futures are dropped.
    #[napi]
    pub fn cancel(&self) {
        self.token.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_wakes_waiters_before_and_after() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let token = Arc::new(Token::default());
        let waiter = {
            let token = Arc::clone(&token);
            rt.spawn(async move { token.cancelled().await })
        };
        assert!(!token.is_cancelled());
        token.cancel();
        rt.block_on(waiter).unwrap();
        // Already cancelled: completes at once.
        rt.block_on(token.cancelled());
    }
}
