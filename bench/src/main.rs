//! Benchmark driver for the Rust core (`core`) and for a raw HTTP loop without any client
//! library (`raw`, the floor that shows what the emulator and the HTTP stack cost by themselves).
//!
//! Run by `bench/run.py`, one process per (driver, workload):
//!
//! ```text
//! sunco-bench core|raw workload=get|list|concurrent|cold url=URL app=APP key=KEY secret=SECRET \
//!     ids=FILE n=N conc=C warmup=W user=EXTERNAL_ID size=S expect=E [rt=current|multi]
//! ```
//!
//! `rt=multi` (the default) is the bindings' runtime shape: multi-threaded, 2 workers.
//!
//! It prints ONE JSON line on stdout (the protocol every driver in bench/drivers follows, see
//! bench/README.md) and exits non-zero on any failed request.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};

type Res<T> = Result<T, String>;

/// `CLOCK_MONOTONIC` in nanoseconds: the same clock Python's `time.monotonic_ns()`, Node's
/// `process.hrtime.bigint()` and the C driver read, so run.py can compare timestamps.
fn mono_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// User + system CPU time of this process so far (getrusage), in nanoseconds.
fn cpu_ns() -> u64 {
    // SAFETY: an all-zero rusage is a valid value, and getrusage only writes into it.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `ru` is a valid, writable rusage.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| t.tv_sec as u64 * 1_000_000_000 + t.tv_usec as u64 * 1_000;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

struct Args {
    map: HashMap<String, String>,
}

impl Args {
    fn str(&self, k: &str) -> Res<&str> {
        self.map
            .get(k)
            .map(String::as_str)
            .ok_or_else(|| format!("missing argument {k}=..."))
    }
    fn num(&self, k: &str, default: usize) -> Res<usize> {
        match self.map.get(k) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|_| format!("{k}={v:?} is not a number")),
        }
    }
    fn ids(&self) -> Res<Vec<String>> {
        let path = self.str("ids")?;
        let text = std::fs::read_to_string(path).map_err(|e| format!("ids={path}: {e}"))?;
        let ids: Vec<String> = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if ids.is_empty() {
            return Err(format!("ids={path} is empty"));
        }
        Ok(ids)
    }
}

/// What a driver can do; both implementations check every answer.
#[derive(Clone)]
enum Target {
    Core(sunco::Conversations),
    Raw(Arc<Raw>),
}

struct Raw {
    http: reqwest::Client,
    auth: reqwest::header::HeaderValue,
    prefix: String,
}

impl Target {
    fn new(kind: &str, args: &Args) -> Res<Target> {
        let url = args.str("url")?.trim_end_matches('/');
        let (app, key, secret) = (args.str("app")?, args.str("key")?, args.str("secret")?);
        match kind {
            "core" => {
                let client = sunco::Client::builder()
                    .base_url(url)
                    .auth(sunco::Auth::basic(key, secret))
                    .max_retries(0)
                    .user_agent_extra("bench")
                    .build()
                    .map_err(|e| e.to_string())?;
                Ok(Target::Core(client.conversations(app)))
            }
            "raw" => {
                let http = reqwest::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .build()
                    .map_err(|e| e.to_string())?;
                let token =
                    base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"));
                let auth = reqwest::header::HeaderValue::from_str(&format!("Basic {token}"))
                    .map_err(|e| e.to_string())?;
                let prefix = format!("{url}/v2/apps/{app}/conversations/");
                Ok(Target::Raw(Arc::new(Raw { http, auth, prefix })))
            }
            other => Err(format!("unknown driver {other:?}: expected core or raw")),
        }
    }

    async fn get(&self, id: &str) -> Res<()> {
        match self {
            Target::Core(convs) => {
                let conv = convs.get(id).await.map_err(|e| e.to_string())?;
                if conv.id != id {
                    return Err(format!("asked for {id}, got {}", conv.id));
                }
            }
            Target::Raw(raw) => {
                let resp = raw
                    .http
                    .get(format!("{}{id}", raw.prefix))
                    .header(reqwest::header::AUTHORIZATION, raw.auth.clone())
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                let status = resp.status();
                let body = resp.bytes().await.map_err(|e| e.to_string())?;
                if status != 200 || body.is_empty() {
                    return Err(format!("GET {id}: status {status}"));
                }
            }
        }
        Ok(())
    }
}

fn main() {
    let t_main = mono_ns();
    let mut argv = std::env::args().skip(1);
    let kind = argv.next().unwrap_or_default();
    let map = argv
        .filter_map(|a| a.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect();
    let args = Args { map };
    // By default the same shape as the bindings' runtime: multi-threaded, 2 workers;
    // `rt=current` runs everything on the main thread instead.
    let rt = match args.map.get("rt").map(String::as_str) {
        Some("current") => tokio::runtime::Builder::new_current_thread(),
        _ => {
            let mut b = tokio::runtime::Builder::new_multi_thread();
            b.worker_threads(2);
            b
        }
    }
    .enable_all()
    .build()
    .expect("tokio runtime");
    match rt.block_on(run(&kind, &args, t_main)) {
        Ok(out) => println!("{out}"),
        Err(e) => {
            eprintln!("sunco-bench {kind}: {e}");
            std::process::exit(1);
        }
    }
}

async fn run(kind: &str, args: &Args, t_main: u64) -> Res<Value> {
    let workload = args.str("workload")?;
    let target = Target::new(kind, args)?;
    let t_ready = mono_ns();
    match workload {
        "cold" => {
            let ids = args.ids()?;
            target.get(&ids[0]).await?;
            let t_first = mono_ns();
            Ok(
                json!({"workload": workload, "requests": 1, "t_main_ns": t_main,
                      "t_ready_ns": t_ready, "t_first_ns": t_first}),
            )
        }
        "get" => sequential(&target, args).await,
        "concurrent" => concurrent(&target, args).await,
        "list" => match &target {
            Target::Core(convs) => walk(convs, args).await,
            Target::Raw(_) => Ok(
                json!({"workload": workload, "na": "the raw floor runs get and concurrent only"}),
            ),
        },
        other => Err(format!("unknown workload {other:?}")),
    }
}

async fn sequential(target: &Target, args: &Args) -> Res<Value> {
    let ids = args.ids()?;
    let n = args.num("n", 5000)?;
    for i in 0..args.num("warmup", 100)? {
        target.get(&ids[i % ids.len()]).await?;
    }
    let mut lat = Vec::with_capacity(n);
    let (cpu0, t0) = (cpu_ns(), mono_ns());
    for i in 0..n {
        let s = mono_ns();
        target.get(&ids[i % ids.len()]).await?;
        lat.push(mono_ns() - s);
    }
    let (t1, cpu1) = (mono_ns(), cpu_ns());
    Ok(
        json!({"workload": "get", "requests": n, "wall_ns": t1 - t0, "cpu_ns": cpu1 - cpu0,
              "lat_ns": lat}),
    )
}

async fn concurrent(target: &Target, args: &Args) -> Res<Value> {
    let ids = Arc::new(args.ids()?);
    let n = args.num("n", 10_000)?;
    let conc = args.num("conc", 64)?.max(1);
    // Warm-up opens the connections the measured run will reuse.
    let warm = args.num("warmup", 100)?.max(conc);
    fan_out(target, &ids, warm, conc).await?;
    let (cpu0, t0) = (cpu_ns(), mono_ns());
    let lat = fan_out(target, &ids, n, conc).await?;
    let (t1, cpu1) = (mono_ns(), cpu_ns());
    Ok(
        json!({"workload": "concurrent", "requests": n, "concurrency": conc,
              "wall_ns": t1 - t0, "cpu_ns": cpu1 - cpu0, "lat_ns": lat}),
    )
}

/// `n` gets, `conc` tokio tasks each taking the next index until all are done.
async fn fan_out(target: &Target, ids: &Arc<Vec<String>>, n: usize, conc: usize) -> Res<Vec<u64>> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(conc);
    for _ in 0..conc {
        let (target, ids, next) = (target.clone(), ids.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(n / conc + 1);
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return Ok::<_, String>(lat);
                }
                let s = mono_ns();
                target.get(&ids[i % ids.len()]).await?;
                lat.push(mono_ns() - s);
            }
        }));
    }
    let mut all = Vec::with_capacity(n);
    for t in tasks {
        all.extend(t.await.map_err(|e| e.to_string())??);
    }
    Ok(all)
}

async fn walk(convs: &sunco::Conversations, args: &Args) -> Res<Value> {
    let user = args.str("user")?;
    let size = args.num("size", 100)? as u32;
    let expect = args.num("expect", 0)?;
    // Warm-up: one small page opens the connection.
    convs
        .list(&sunco::ListConversations::user_external_id(user).size(1))
        .await
        .map_err(|e| e.to_string())?;
    let mut pages = convs.pages(sunco::ListConversations::user_external_id(user).size(size));
    let (mut lat, mut items) = (Vec::new(), 0usize);
    let (cpu0, t0) = (cpu_ns(), mono_ns());
    loop {
        let s = mono_ns();
        let Some(page) = pages.next_page().await.map_err(|e| e.to_string())? else {
            break;
        };
        lat.push(mono_ns() - s);
        items += page.conversations.len();
    }
    let (t1, cpu1) = (mono_ns(), cpu_ns());
    if expect != 0 && items != expect {
        return Err(format!("walked {items} conversations, expected {expect}"));
    }
    Ok(
        json!({"workload": "list", "requests": lat.len(), "items": items, "wall_ns": t1 - t0,
              "cpu_ns": cpu1 - cpu0, "lat_ns": lat}),
    )
}
