//! The library's tokio runtime: one per process, made on first use, made again in a child
//! after `fork()` (a runtime's threads do not survive a fork).

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::runtime::{Builder, Handle, Runtime};

use crate::boundary::Failure;

/// The runtime and the id of the process that made it.
static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// Runtimes inherited through `fork()`, kept (never dropped) in the child.
static INHERITED: Mutex<Vec<Arc<Runtime>>> = Mutex::new(Vec::new());

fn runtime() -> Result<Arc<Runtime>, Failure> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((owner, rt)) = slot.as_ref()
        && *owner == pid
    {
        return Ok(Arc::clone(rt));
    }
    if let Some((_, inherited)) = slot.take() {
        // Made by the parent before a fork: its worker threads do not exist here, so shutting
        // it down could wait for them forever. Keep it, unused, for the life of the process.
        INHERITED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(inherited);
    }
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("sunco-worker")
        .enable_all()
        .build()
        .map(Arc::new)
        .map_err(|e| Failure::Internal(format!("could not start the runtime threads: {e}")))?;
    *slot = Some((pid, Arc::clone(&rt)));
    Ok(rt)
}

/// Runs a core future to completion on the library runtime, blocking the calling thread.
pub(crate) fn block_on<F: Future>(future: F) -> Result<F::Output, Failure> {
    if Handle::try_current().is_ok() {
        return Err(Failure::Argument {
            param: None,
            message: "libconversations blocks the calling thread and must not be called from \
                      inside a tokio runtime; call it from a plain thread (e.g. spawn_blocking)"
                .into(),
        });
    }
    Ok(runtime()?.block_on(future))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_runtime_per_process() {
        let a = runtime().unwrap();
        let b = runtime().unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(block_on(async { 7 }).unwrap(), 7);
    }

    #[test]
    fn refuses_to_nest() {
        let rt = runtime().unwrap();
        let nested = rt.block_on(async { block_on(async { 1 }) });
        assert!(matches!(nested, Err(Failure::Argument { .. })));
    }
}
