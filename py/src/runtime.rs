//! The one tokio runtime of this process, and the two ways Python code waits on it.
//!
//! Blocking calls run the future on the calling thread with the GIL released; asyncio calls
//! spawn it on the runtime and hand Python an `asyncio.Future` (via `pyo3-async-runtimes`).
//! A runtime does not survive `fork()`, so a child process builds its own on first use.

use std::cell::OnceCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3_async_runtimes::TaskLocals;
use pyo3_async_runtimes::generic::{self, ContextExt};
use tokio::runtime::Runtime;

/// How often a blocking call looks for a pending signal (Ctrl-C) while it waits.
const SIGNAL_CHECK_INTERVAL: Duration = Duration::from_millis(100);

fn build() -> &'static Runtime {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("sunco-py")
        .enable_all()
        .build()
        .expect("sunco: cannot start the tokio runtime");
    // Lives as long as the process (and is abandoned, never dropped, in a forked child).
    Box::leak(Box::new(rt))
}

/// The runtime of the current process.
pub(crate) fn runtime() -> &'static Runtime {
    static FIRST: OnceLock<(u32, &'static Runtime)> = OnceLock::new();
    static FORKED: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);
    let pid = std::process::id();
    let (owner, rt) = *FIRST.get_or_init(|| (pid, build()));
    if owner == pid {
        return rt;
    }
    // We are in a forked child: the parent's worker threads do not exist here.
    let mut forked = FORKED.lock().unwrap_or_else(|e| e.into_inner());
    match *forked {
        Some((owner, rt)) if owner == pid => rt,
        _ => {
            let rt = build();
            *forked = Some((pid, rt));
            rt
        }
    }
}

/// Runs `fut` to completion on this thread, with the GIL released, while still letting
/// Python signal handlers run (so Ctrl-C interrupts a long call; the request is then dropped).
pub(crate) fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    py.detach(|| {
        runtime().block_on(async {
            let mut fut = std::pin::pin!(fut);
            loop {
                tokio::select! {
                    out = &mut fut => return Ok(out),
                    () = tokio::time::sleep(SIGNAL_CHECK_INTERVAL) => {
                        Python::attach(|py| py.check_signals())?;
                    }
                }
            }
        })
    })
}

/// Wraps `fut` in an `asyncio.Future` of the running event loop; cancelling that future
/// drops `fut` (and so the request).
pub(crate) fn awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    generic::future_into_py::<SuncoRuntime, _, _>(py, fut)
}

/// `pyo3-async-runtimes` glue: spawn on [`runtime()`] instead of the crate's own global runtime,
/// which could not be re-created after a fork.
struct SuncoRuntime;

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

impl generic::Runtime for SuncoRuntime {
    type JoinError = tokio::task::JoinError;
    type JoinHandle = tokio::task::JoinHandle<()>;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        runtime().spawn(fut)
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        runtime().spawn_blocking(f)
    }
}

impl ContextExt for SuncoRuntime {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS
            .try_with(|c| c.get().cloned())
            .unwrap_or_default()
    }
}
