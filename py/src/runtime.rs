//! The one tokio runtime of this process, and the two ways Python code waits on it.
//!
//! Blocking calls run the future on the calling thread with the GIL released; asyncio calls
//! spawn it on the runtime and hand Python an `asyncio.Future` of the running loop.
//! A runtime does not survive `fork()`, so a child process builds its own on first use.

use std::future::Future;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
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
/// aborts the task (and so drops the request).
///
/// The task touches Python once, to hand its outcome to the event loop, and only through
/// [`python_gate`]: once the interpreter starts to exit, late tasks drop their outcome instead
/// of attaching to a finalizing interpreter (which aborts the process).
pub(crate) fn awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let future = event_loop.call_method0("create_future")?;
    let (loop_ref, future_ref) = (event_loop.unbind(), future.clone().unbind());
    let task = runtime().spawn(async move {
        let outcome = fut.await;
        python_gate(|| {
            Python::attach(|py| {
                let (ok, value) = match outcome.and_then(|v| v.into_py_any(py)) {
                    Ok(v) => (true, v),
                    Err(e) => (false, e.into_value(py).into_any()),
                };
                let resolve = Resolve {
                    future: future_ref,
                    ok,
                    value,
                };
                // Fails only when the loop is closed: nobody is waiting any more.
                let _ = loop_ref
                    .bind(py)
                    .call_method1("call_soon_threadsafe", (resolve,));
            })
        });
    });
    future.call_method1(
        "add_done_callback",
        (AbortOnCancel {
            task: task.abort_handle(),
        },),
    )?;
    Ok(future)
}

/// Sets the outcome of an asyncio future on its loop's thread, unless it was cancelled meanwhile.
#[pyclass(frozen)]
struct Resolve {
    future: Py<PyAny>,
    ok: bool,
    value: Py<PyAny>,
}

#[pymethods]
impl Resolve {
    fn __call__(&self, py: Python<'_>) -> PyResult<()> {
        let future = self.future.bind(py);
        if future.call_method0("done")?.is_truthy()? {
            return Ok(());
        }
        let method = if self.ok {
            "set_result"
        } else {
            "set_exception"
        };
        future.call_method1(method, (self.value.clone_ref(py),))?;
        Ok(())
    }
}

/// Done-callback of an awaitable: a cancelled asyncio future aborts its tokio task.
#[pyclass(frozen)]
struct AbortOnCancel {
    task: tokio::task::AbortHandle,
}

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0("cancelled")?.is_truthy()? {
            self.task.abort();
        }
        Ok(())
    }
}

/// Runtime threads inside Python right now, and whether the interpreter is exiting.
struct Gate {
    closing: bool,
    inside: usize,
}

static GATE: Mutex<Gate> = Mutex::new(Gate {
    closing: false,
    inside: 0,
});
static GATE_LEFT: Condvar = Condvar::new();

/// Runs `f` (which attaches to Python) from a runtime thread, unless the interpreter is exiting.
fn python_gate(f: impl FnOnce()) {
    {
        let mut gate = GATE.lock().unwrap_or_else(|e| e.into_inner());
        if gate.closing {
            return;
        }
        gate.inside += 1;
    }
    f();
    let mut gate = GATE.lock().unwrap_or_else(|e| e.into_inner());
    gate.inside -= 1;
    if gate.inside == 0 {
        GATE_LEFT.notify_all();
    }
}

/// Registered with `atexit`: closes the gate, then waits (GIL released, at most 5 s) for the
/// runtime threads already inside Python to leave, so none of them meets a finalizing interpreter.
#[pyfunction]
pub(crate) fn _close_python_gate(py: Python<'_>) {
    py.detach(|| {
        let mut gate = GATE.lock().unwrap_or_else(|e| e.into_inner());
        gate.closing = true;
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while gate.inside > 0 {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break;
            }
            gate = GATE_LEFT
                .wait_timeout(gate, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    });
}
