//! The one tokio runtime of this process, and the two ways Python code waits on it.
//!
//! Blocking calls run the future on the calling thread with the GIL released; asyncio calls
//! spawn it on the runtime and hand Python an `asyncio.Future` of the running loop.
//! A runtime does not survive `fork()`, so a child process builds its own on first use.

use std::future::Future;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
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
/// Runtime threads never take the GIL: a finished task queues its outcome on the loop's
/// [`Completions`] and wakes the loop through a pipe; the loop's thread turns outcomes into
/// Python objects and resolves the futures. So a busy event loop never stalls the runtime's
/// workers (and the HTTP connections they drive), and a thread finishing while the
/// interpreter exits has nothing to touch.
pub(crate) fn awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    let event_loop = py.import("asyncio")?.call_method0("get_running_loop")?;
    let queue = Completions::of(&event_loop)?;
    let future = event_loop.call_method0("create_future")?;
    let future_ref = future.clone().unbind();
    let task = runtime().spawn(async move {
        let outcome = fut.await;
        queue.push(Done {
            future: future_ref,
            outcome: Box::new(move |py| outcome.and_then(|v| v.into_py_any(py))),
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

/// Turns a task's result into a Python object; runs on the loop's thread, with the GIL.
type Outcome = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

/// The outcome of one task, waiting for the loop's thread.
struct Done {
    future: Py<PyAny>,
    outcome: Outcome,
}

/// Finished tasks of one event loop, and the pipe that wakes it (watched with `add_reader`).
struct CompletionQueue {
    done: Mutex<Vec<Done>>,
    /// Set while a wake-up byte is in the pipe, so a burst of completions writes one byte.
    signalled: AtomicBool,
    reader: std::io::PipeReader,
    writer: std::io::PipeWriter,
}

impl CompletionQueue {
    /// Called on a runtime thread: queues `done` and wakes the loop (no GIL needed).
    fn push(&self, done: Done) {
        self.done
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(done);
        if !self.signalled.swap(true, Ordering::AcqRel) {
            // Only the caller that raised the flag writes, so the pipe never holds more than one
            // byte and this cannot block. If the loop is gone, nobody waits for the outcome.
            let _ = (&self.writer).write(&[1]);
        }
    }
}

/// The per-loop completion queue, as the Python object whose `drain` the loop calls.
#[pyclass(frozen)]
struct Completions {
    queue: Arc<CompletionQueue>,
}

/// One `Completions` per event loop, created on its first awaitable.
static LOOP_QUEUES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

impl Completions {
    /// The queue of `event_loop`, registering its reader on first use.
    fn of(event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<CompletionQueue>> {
        let py = event_loop.py();
        let queues = LOOP_QUEUES
            .get_or_try_init(py, || {
                Ok::<_, PyErr>(
                    py.import("weakref")?
                        .getattr("WeakKeyDictionary")?
                        .call0()?
                        .unbind(),
                )
            })?
            .bind(py);
        if let Ok(existing) = queues
            .call_method1("get", (event_loop,))?
            .cast::<Completions>()
        {
            return Ok(existing.get().queue.clone());
        }
        let (reader, writer) = std::io::pipe()?;
        let queue = Arc::new(CompletionQueue {
            done: Mutex::new(Vec::new()),
            signalled: AtomicBool::new(false),
            reader,
            writer,
        });
        let completions = Bound::new(
            py,
            Completions {
                queue: queue.clone(),
            },
        )?;
        let fd = queue.reader.as_raw_fd();
        event_loop.call_method1("add_reader", (fd, completions.getattr("drain")?))?;
        queues.set_item(event_loop, completions)?;
        Ok(queue)
    }
}

#[pymethods]
impl Completions {
    /// Called by the event loop when the pipe is readable: resolves every queued future.
    fn drain(&self, py: Python<'_>) -> PyResult<()> {
        let queue = &self.queue;
        // The pipe holds at most one byte (see `push`), and the loop calls this only when it
        // is readable, so this read returns at once. Empty the pipe first, then clear the flag:
        // a completion queued before the clear is in the batch taken below, and one queued
        // after it writes a new byte. (Clearing first could swallow that byte and strand
        // every later completion.)
        let mut byte = [0u8; 1];
        let _ = (&queue.reader).read(&mut byte);
        queue.signalled.store(false, Ordering::Release);
        let batch = std::mem::take(&mut *queue.done.lock().unwrap_or_else(|e| e.into_inner()));
        for done in batch {
            // One failure must not strand the other futures of the batch: report it and go on.
            if let Err(e) = resolve(py, done) {
                e.write_unraisable(py, None);
            }
        }
        Ok(())
    }
}

/// Hands one outcome to its future, unless the future was cancelled meanwhile.
fn resolve(py: Python<'_>, done: Done) -> PyResult<()> {
    let future = done.future.bind(py);
    if future.call_method0("done")?.is_truthy()? {
        return Ok(());
    }
    match (done.outcome)(py) {
        Ok(value) => future.call_method1("set_result", (value,))?,
        Err(e) => future.call_method1("set_exception", (e.into_value(py),))?,
    };
    Ok(())
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
