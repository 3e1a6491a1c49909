#!/usr/bin/env python3
"""Benchmark orchestrator (stdlib only): starts the emulator, seeds it, runs one driver process
per (client, workload), reads each driver's JSON line and its rusage (os.wait4), and prints
and writes the results table. See bench/README.md.

    python3 bench/run.py --mode full|quick --emulator PATH --rust-driver PATH ...

Exit status: 0 when every available driver succeeded; 1 when one crashed, failed a check, or
timed out (its row says so); 2 on a setup error (emulator, seeding).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DRIVERS = HERE / "drivers"
APP, KEY, SECRET, USER = "demo-app", "demo-key", "demo-secret", "bench"

# Workload sizes per mode.
MODES = {
    "full": {
        "get_n": 5000,
        "conc_n": 10000,
        "conc": 64,
        "seed": 2000,
        "size": 100,
        "warmup": 200,
        "cold_runs": 5,
        "timeout": 900,
        "repeat": 3,
    },
    "quick": {
        "get_n": 300,
        "conc_n": 300,
        "conc": 64,
        "seed": 300,
        "size": 100,
        "warmup": 20,
        "cold_runs": 2,
        "timeout": 180,
        "repeat": 1,
    },
}
WORKLOADS = ["get", "list", "concurrent", "cold"]
TITLES = {
    "get": "(a) sequential getConversation",
    "list": "(b) listConversations walk",
    "concurrent": "(c) getConversation, 64 in flight",
    "cold": "(d) cold start",
}


@dataclass
class Client:
    key: str
    label: str
    lang: str
    cmd: list[str] = field(default_factory=list)
    workloads: tuple[str, ...] = tuple(WORKLOADS)
    unavailable: str | None = None
    version: str = ""
    how: str = ""  # how (c) gets its concurrency
    extra: dict[str, list[str]] = field(default_factory=dict)  # more arguments per workload


@dataclass
class Row:
    client: Client
    workload: str
    status: str = "ok"  # ok | unavailable | n/a | failed
    reason: str = ""
    crash: str = ""  # the driver printed a result, then crashed
    summary: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ small helpers


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def last_line(text: str, limit: int = 300) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return (lines[-1] if lines else "")[:limit]


def probe(cmd: list[str], timeout: float = 60) -> tuple[bool, str]:
    """Runs a short check; (ok, stdout or the last line of stderr)."""
    try:
        p = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, str(e)
    if p.returncode != 0:
        return False, last_line(p.stderr or p.stdout) or f"exit status {p.returncode}"
    return True, p.stdout.strip()


def pct(sorted_ns: list[int], p: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not sorted_ns:
        return float("nan")
    k = max(0, min(len(sorted_ns) - 1, math.ceil(p / 100 * len(sorted_ns)) - 1))
    return sorted_ns[k] / 1e6


# ------------------------------------------------------------------ emulator and seed


class Emulator:
    def __init__(self, binary: str) -> None:
        if not Path(binary).exists():
            raise SystemExit(f"bench: emulator binary {binary} not found (build it first)")
        # A small request log: the benchmark never reads it, and it must not grow for hours.
        self.proc = subprocess.Popen(
            [binary, "--port", "0", "--log-limit", "1000"],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()  # first line = base URL, once bound
        if not self.url.startswith("http://"):
            self.stop()
            raise SystemExit(f"bench: the emulator did not print its URL (got {self.url!r})")
        u = urllib.parse.urlsplit(self.url)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 80

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def seed(emu: Emulator, count: int) -> list[str]:
    """Creates user `bench` and `count` conversations of theirs; returns the ids, oldest first."""
    import base64

    auth = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
    conn = http.client.HTTPConnection(emu.host, emu.port, timeout=30)
    headers = {"authorization": auth, "content-type": "application/json"}

    def post(path: str, body: dict[str, Any], ok: tuple[int, ...]) -> dict[str, Any]:
        conn.request("POST", path, json.dumps(body), headers)
        r = conn.getresponse()
        data = r.read()
        if r.status not in ok:
            raise SystemExit(f"bench: seeding: POST {path} -> {r.status} {data[:200]!r}")
        return json.loads(data) if data else {}

    post(f"/v2/apps/{APP}/users", {"externalId": USER}, (201, 409))
    ids = []
    body = {"type": "personal", "participants": [{"userExternalId": USER}]}
    for _ in range(count):
        ids.append(post(f"/v2/apps/{APP}/conversations", body, (201,))["conversation"]["id"])
    conn.close()
    return ids


# ------------------------------------------------------------------ clients


def discover(ns: argparse.Namespace, work: Path) -> list[Client]:
    clients: list[Client] = []

    # Rust: the raw floor and the core, one binary.
    rust_ok = ns.rust_driver and Path(ns.rust_driver).exists()
    why = None if rust_ok else f"not built ({ns.rust_driver} missing)"
    clients.append(
        Client(
            "raw",
            "raw floor (reqwest, no client)",
            "rust",
            [ns.rust_driver, "raw"],
            ("get", "concurrent", "cold"),
            why,
            how="64 tokio tasks",
            # The floor is the cheapest loop: one thread for sequential requests (no wake-ups
            # across threads); two workers, like the others, for (c).
            extra={"get": ["rt=current"], "cold": ["rt=current"]},
        )
    )
    clients.append(
        Client(
            "rust",
            "Rust core (sunco)",
            "rust",
            [ns.rust_driver, "core"],
            unavailable=why,
            how="64 tokio tasks",
        )
    )

    # C: compile the driver against the header and the library of this mode.
    c = Client("c", "C (libconversations)", "c", how="64 threads sharing one client")
    header = Path(ns.c_include or "", "conversations.h")
    lib = Path(ns.c_lib_dir or "", "libconversations.so")
    cc = shutil.which(os.environ.get("CC", "cc"))
    if not header.exists():
        c.unavailable = f"{header} missing"
    elif not lib.exists():
        c.unavailable = f"not built ({lib} missing)"
    elif not cc:
        c.unavailable = "no C compiler (cc)"
    else:
        exe = work / "c_driver"
        libdir = str(lib.parent.resolve())
        ok, out = probe(
            [
                cc,
                "-O2",
                "-std=c11",
                "-Wall",
                "-I",
                str(header.parent),
                str(DRIVERS / "c_driver.c"),
                "-o",
                str(exe),
                "-L",
                libdir,
                "-lconversations",
                "-lpthread",
                f"-Wl,-rpath,{libdir}",
            ],
            timeout=120,
        )
        if ok:
            c.cmd = [str(exe)]
        else:
            c.unavailable = f"the driver does not compile against {header}: {out}"
    clients.append(c)

    # Python binding: sync and asyncio clients from the same interpreter.
    py = ns.py_sunco
    if not py or not Path(py).exists():
        why, ver = f"no interpreter with sunco ({py} missing)", ""
    else:
        ok, out = probe([py, "-c", "import sunco; print(sunco.__version__)"])
        why, ver = (None, out) if ok else (f"import sunco fails: {out}", "")
    clients.append(
        Client(
            "py-sync",
            "Python sunco.Client",
            "python",
            [py, str(DRIVERS / "py_sunco.py"), "mode=sync"],
            unavailable=why,
            version=ver,
            how="ThreadPoolExecutor(64)",
        )
    )
    clients.append(
        Client(
            "py-async",
            "Python sunco.AsyncClient",
            "python",
            [py, str(DRIVERS / "py_sunco.py"), "mode=async"],
            unavailable=why,
            version=ver,
            how="asyncio.gather + Semaphore(64)",
        )
    )

    # Official Python client(s): each interpreter is a venv holding one version.
    for py in ns.py_official:
        label = "official Python"
        if not Path(py).exists():
            clients.append(
                Client(
                    f"py-official:{py}",
                    label,
                    "python",
                    unavailable=f"not installed ({py} missing)",
                )
            )
            continue
        _, ver = probe(
            [
                py,
                "-c",
                "import importlib.metadata as m; print(m.version('sunshine-conversations-client'))",
            ]
        )
        ok, out = probe([py, "-c", "import sunshine_conversations_client"])
        clients.append(
            Client(
                f"py-official-{ver}",
                f"{label} {ver}",
                "python",
                [py, str(DRIVERS / "py_official.py")],
                unavailable=None if ok else f"import fails: {out}",
                version=ver,
                how="ThreadPoolExecutor(64), one shared ApiClient",
            )
        )

    # Node binding and the official JS client.
    node = shutil.which(ns.node) or ns.node
    for key, label, pkg, script, how in (
        ("node", "Node sunco", ns.node_sunco, "node_sunco.js", "64 promise chains"),
        ("node-official", "official JS", ns.node_official, "node_official.js", "64 promise chains"),
    ):
        cl = Client(key, label, "node", how=how)
        if not pkg or not Path(pkg, "package.json").exists():
            cl.unavailable = f"not installed ({pkg}/package.json missing)"
        else:
            pkg = str(Path(pkg).resolve())
            cl.version = json.loads(Path(pkg, "package.json").read_text()).get("version", "")
            ok, out = probe([node, "-e", f"require({json.dumps(pkg)})"])
            if ok:
                cl.cmd = [node, str(DRIVERS / script), f"pkg={pkg}"]
            else:
                cl.unavailable = f"require fails: {out}"
        if key == "node-official" and cl.version:
            cl.label = f"official JS {cl.version}"
        clients.append(cl)
    return clients


# ------------------------------------------------------------------ running drivers


LAUNCHER: str | None = None  # compiled drivers/launcher.c, see there for why


def build_launcher(work: Path) -> str | None:
    cc = shutil.which(os.environ.get("CC", "cc"))
    if not cc:
        return None
    exe = work / "launcher"
    ok, out = probe([cc, "-O2", "-std=c11", "-Wall", str(DRIVERS / "launcher.c"), "-o", str(exe)])
    if not ok:
        log(f"cannot build the launcher ({out}); peak RSS will include the orchestrator's")
        return None
    return str(exe)


def run_driver(cmd: list[str], work: Path, timeout: float) -> dict[str, Any]:
    """One driver process: its JSON line plus its wait4 rusage and spawn timestamp."""
    out_path, err_path, ru_path = work / "driver.out", work / "driver.err", work / "driver.ru"
    ru_path.unlink(missing_ok=True)
    with open(out_path, "w") as fo, open(err_path, "w") as fe:
        full = [LAUNCHER, str(ru_path), str(int(timeout)), *cmd] if LAUNCHER else cmd
        t_spawn = time.monotonic_ns()
        try:
            proc = subprocess.Popen(full, stdout=fo, stderr=fe, stdin=subprocess.DEVNULL)
        except OSError as e:
            raise DriverError(f"cannot start {full[0]}: {e}") from e
        timer = threading.Timer(timeout + 10, proc.kill)
        timer.start()
        _, status, ru = os.wait4(proc.pid, 0)  # reaps it: rusage of exactly this process
        timer.cancel()
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if LAUNCHER:
        try:
            rep = json.loads(ru_path.read_text())
        except (OSError, json.JSONDecodeError):
            raise DriverError(
                f"launcher failed (exit status {code}): {last_line(err_path.read_text())}"
            ) from None
        code, t_spawn = rep["exit"], rep["t_spawn_ns"]
        cpu_s, maxrss = (rep["utime_us"] + rep["stime_us"]) / 1e6, rep["maxrss_kb"]
    else:
        cpu_s, maxrss = ru.ru_utime + ru.ru_stime, ru.ru_maxrss
    text, err = out_path.read_text(), err_path.read_text()
    res: dict[str, Any] = {}
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if lines:
        try:
            res = json.loads(lines[-1])
        except json.JSONDecodeError:
            res = {}
    why = (
        "killed (timeout?) by signal 9"
        if code == -9
        else f"killed by signal {-code}"
        if code < 0
        else f"exit status {code}"
    )
    if not res:
        raise DriverError(f"{why}: {last_line(err) or last_line(text) or 'no output'}")
    # A result followed by a crash (e.g. at interpreter exit) is kept, and flagged.
    res["_crash"] = None if code == 0 else f"{why} after printing its result"
    res["_t_spawn_ns"] = t_spawn
    res["_proc_cpu_s"] = cpu_s
    res["_maxrss_kb"] = maxrss
    return res


class DriverError(Exception):
    pass


def summarize(res: dict[str, Any]) -> dict[str, Any]:
    lat = sorted(res.get("lat_ns") or [])
    n = int(res["requests"])
    wall = res["wall_ns"] / 1e9
    s = {
        "requests": n,
        "wall_s": wall,
        "rps": n / wall if wall > 0 else float("nan"),
        "p50_ms": pct(lat, 50),
        "p99_ms": pct(lat, 99),
        "cpu_us_per_req": res["cpu_ns"] / n / 1e3 if n else float("nan"),
        "proc_cpu_s": res["_proc_cpu_s"],
        "rss_mb": res["_maxrss_kb"] / 1024,
    }
    if "items" in res:
        s["items"] = res["items"]
        s["items_per_s"] = res["items"] / wall if wall > 0 else float("nan")
    if "concurrency" in res:
        s["concurrency"] = res["concurrency"]
    if res.get("note"):
        s["note"] = res["note"]
    return s


def summarize_cold(runs: list[dict[str, Any]]) -> dict[str, Any]:
    med = statistics.median
    return {
        "runs": len(runs),
        "cold_ms": med([(r["t_first_ns"] - r["_t_spawn_ns"]) / 1e6 for r in runs]),
        # Rust and C drivers have nothing to import.
        "import_ms": med([(r["t_imported_ns"] - r["t_main_ns"]) / 1e6 for r in runs])
        if all("t_imported_ns" in r for r in runs)
        else None,
        "ready_ms": med([(r["t_ready_ns"] - r["t_main_ns"]) / 1e6 for r in runs]),
        "first_req_ms": med([(r["t_first_ns"] - r["t_ready_ns"]) / 1e6 for r in runs]),
        "proc_cpu_ms": med([r["_proc_cpu_s"] * 1e3 for r in runs]),
        "rss_mb": max(r["_maxrss_kb"] for r in runs) / 1024,
    }


def bench(
    clients: list[Client],
    emu: Emulator,
    ids_file: Path,
    cfg: dict[str, Any],
    work: Path,
    repeat: int,
) -> list[Row]:
    common = [
        f"url={emu.url}",
        f"app={APP}",
        f"key={KEY}",
        f"secret={SECRET}",
        f"ids={ids_file}",
        f"user={USER}",
        f"size={cfg['size']}",
        f"expect={cfg['seed']}",
        f"warmup={cfg['warmup']}",
    ]
    per_wl = {
        "get": [f"n={cfg['get_n']}"],
        "list": [],
        "concurrent": [f"n={cfg['conc_n']}", f"conc={cfg['conc']}"],
        "cold": [],
    }
    rows: dict[tuple[str, str], Row] = {}
    samples: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in clients:
        for wl in WORKLOADS:
            r = Row(c, wl)
            if c.unavailable:
                r.status, r.reason = "unavailable", c.unavailable
            elif wl not in c.workloads:
                r.status, r.reason = "n/a", "not run for this client"
            rows[(c.key, wl)] = r
            samples[(c.key, wl)] = []

    for rep in range(repeat):
        for wl in WORKLOADS:
            for c in clients:
                r = rows[(c.key, wl)]
                if r.status != "ok":
                    continue
                runs = cfg["cold_runs"] if wl == "cold" else 1
                for _ in range(runs):
                    cmd = [*c.cmd, f"workload={wl}", *common, *per_wl[wl], *c.extra.get(wl, [])]
                    log(f"[{rep + 1}/{repeat}] {c.key:<22} {wl}")
                    try:
                        res = run_driver(cmd, work, cfg["timeout"])
                    except DriverError as e:
                        r.status, r.reason = "failed", str(e)
                        log(f"  FAILED: {e}")
                        break
                    if res["_crash"]:
                        r.crash = res["_crash"]
                        log(f"  CRASHED: {r.crash}")
                    if "na" in res:
                        r.status, r.reason = "n/a", str(res["na"])
                        break
                    samples[(c.key, wl)].append(res)

    for (key, wl), r in rows.items():
        got = samples[(key, wl)]
        if r.status != "ok" or not got:
            continue
        if wl == "cold":
            r.summary = summarize_cold(got)
        else:
            # With --repeat, keep the run of median throughput.
            sums = sorted((summarize(x) for x in got), key=lambda s: s["rps"])
            r.summary = sums[len(sums) // 2]
    return list(rows.values())


# ------------------------------------------------------------------ report


def fmt(v: Any, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, float):
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        if abs(v) >= 100:
            return f"{v:.0f}"
        if abs(v) >= 10:
            return f"{v:.1f}"
        return f"{v:.{digits}f}"
    return str(v)


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return None
    return a / b


def xr(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}×"


def baselines(rows: list[Row]) -> dict[str, str | None]:
    """The official client each language is compared with: the first one that ran."""
    by_lang: dict[str, str | None] = {"python": None, "node": None}
    for r in rows:
        off = r.client.key.startswith("py-official") or r.client.key == "node-official"
        if off and r.status != "unavailable" and by_lang.get(r.client.lang) is None:
            by_lang[r.client.lang] = r.client.key
    return by_lang


def is_official(c: Client) -> bool:
    return c.key.startswith("py-official") or c.key == "node-official"


def report(rows: list[Row], meta: dict[str, Any], mode: str) -> tuple[str, dict[str, Any]]:
    get = {(r.client.key, r.workload): r for r in rows}
    base = baselines(rows)

    def rps(key: str | None, wl: str) -> float | None:
        r = get.get((key or "", wl))
        if not r or r.status != "ok":
            return None
        return r.summary.get("items_per_s", r.summary["rps"]) if wl == "list" else r.summary["rps"]

    def cold(key: str | None, what: str) -> float | None:
        r = get.get((key or "", "cold"))
        return r.summary[what] if r and r.status == "ok" else None

    out: list[str] = []
    cfg = MODES[mode]
    out.append(f"# sunco benchmark results ({mode} mode)\n")
    out.append(f"- Date: {meta['date']}")
    out.append(
        f"- Machine: {meta['cpu']}, {meta['cores']} cores, {meta['mem']}, Linux {meta['kernel']}"
    )
    out.append(
        f"- Builds: {meta['profile']} (emulator, Rust drivers, C library, Python wheel, Node addon)"
    )
    out.append("- Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items() if v))
    out.append(
        f"- Emulator on loopback ({meta['profile']} build), seeded with {cfg['seed']} "
        f"conversations of user `{USER}`; (a) {cfg['get_n']} gets, (b) walk at page "
        f"size {cfg['size']}, (c) {cfg['conc_n']} gets with {cfg['conc']} in flight, "
        f"(d) median of {cfg['cold_runs']} fresh processes. Each driver is its own "
        "process; warm-up requests are not measured."
    )
    if mode == "quick":
        out.append(
            "- QUICK MODE: debug builds and a few hundred requests; these numbers only "
            "show that the harness works. Run `make bench` for real figures."
        )
    out.append("")
    out.append(
        "Throughput is requests per second (for (b): conversations per second, pages "
        "per second in the notes); latency percentiles are per request (per page for "
        "(b)); CPU is user+sys of the driver process (getrusage) during the measured "
        "loop divided by its requests (pages for (b)); RSS is the driver process's peak "
        "(ru_maxrss from wait4). `vs official` = our throughput / the official client's "
        "of the same language; `vs floor` = throughput / the raw reqwest loop's.\n"
    )

    for wl in ("get", "list", "concurrent"):
        out.append(f"## {TITLES[wl]}\n")
        unit, per = ("conv/s", "page") if wl == "list" else ("req/s", "req")
        lat = " per page" if wl == "list" else ""
        out.append(
            f"| client | {unit} | p50 ms{lat} | p99 ms{lat} | CPU µs/{per} | peak RSS MB "
            "| vs official | vs floor | notes |"
        )
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for r in rows:
            if r.workload != wl:
                continue
            c = r.client
            if r.status != "ok":
                if r.status == "n/a" and r.reason == "not run for this client":
                    continue
                out.append(f"| {c.label} | {r.status}: {r.reason} | | | | | | | |")
                continue
            s = r.summary
            notes = []
            main = s["items_per_s"] if wl == "list" else s["rps"]
            if wl == "list":
                notes.append(
                    f"{s['items']} conversations in {s['requests']} pages, {fmt(s['rps'])} pages/s"
                )
            if wl == "concurrent":
                notes.append(c.how)
            if s.get("note"):
                notes.append(s["note"])
            if r.crash:
                notes.append(f"**CRASHED: {r.crash}**")
            vs_off = None
            if not is_official(c) and c.lang in base and base[c.lang]:
                vs_off = ratio(rps(c.key, wl), rps(base[c.lang], wl))
            vs_floor = ratio(rps(c.key, wl), rps("raw", wl)) if c.key != "raw" else None
            out.append(
                f"| {c.label} | {fmt(main)} | {fmt(s['p50_ms'], 3)} | "
                f"{fmt(s['p99_ms'], 3)} | {fmt(s['cpu_us_per_req'])} | "
                f"{fmt(s['rss_mb'], 1)} | {xr(vs_off)} | {xr(vs_floor)} | "
                f"{'; '.join(notes)} |"
            )
        out.append("")

    out.append(f"## {TITLES['cold']}\n")
    out.append(
        "Process start (fork+exec by the orchestrator) to the first answer; `import` is "
        "the client library's import/require alone, `ready` adds making the client.\n"
    )
    out.append(
        "| client | cold start ms | import ms | ready ms | first request ms | "
        "process CPU ms | peak RSS MB | vs official (× faster) |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if r.workload != "cold":
            continue
        c = r.client
        if r.status != "ok":
            if r.status == "n/a" and r.reason == "not run for this client":
                continue
            out.append(f"| {c.label} | {r.status}: {r.reason} | | | | | | |")
            continue
        s = r.summary
        vs = None
        if not is_official(c) and c.lang in base and base[c.lang]:
            vs = ratio(cold(base[c.lang], "cold_ms"), s["cold_ms"])
        crash = f" **CRASHED: {r.crash}**" if r.crash else ""
        out.append(
            f"| {c.label}{crash} | {fmt(s['cold_ms'])} | {fmt(s['import_ms'])} | "
            f"{fmt(s['ready_ms'])} | {fmt(s['first_req_ms'])} | {fmt(s['proc_cpu_ms'])} "
            f"| {fmt(s['rss_mb'], 1)} | {xr(vs)} |"
        )
    out.append("")

    # Targets.
    targets: list[tuple[str, float | None, str, bool]] = []
    bp, bn = base.get("python"), base.get("node")
    v = ratio(rps("py-sync", "get"), rps(bp, "get"))
    targets.append(
        ("Python sync ≥ 3× the official Python client on (a)", v, "≥ 3×", v is not None and v >= 3)
    )
    imp_off, imp_ours = cold(bp, "import_ms"), cold("py-sync", "import_ms")
    v = ratio(imp_off, imp_ours)
    targets.append(
        (
            "Python `import sunco` ≥ 10× faster than the official client's import",
            v,
            "≥ 10×",
            v is not None and v >= 10,
        )
    )
    for wl in ("get", "concurrent"):
        v = ratio(rps("node", wl), rps(bn, wl))
        targets.append(
            (
                f"Node ≥ 2× the official JS client on {TITLES[wl][:3]}",
                v,
                "≥ 2×",
                v is not None and v >= 2,
            )
        )
    for key, label in (
        ("c", "C"),
        ("py-sync", "Python sync"),
        ("py-async", "Python async"),
        ("node", "Node"),
    ):
        v = ratio(rps("rust", "get"), rps(key, "get"))
        targets.append(
            (
                f"{label} within 1.3× of the Rust core on (a) (Rust/binding)",
                v,
                "≤ 1.3×",
                v is not None and v <= 1.3,
            )
        )
    out.append("## Targets\n")
    if mode == "quick":
        out.append("(quick mode: debug builds; not meaningful, shown so the code path runs)\n")
    out.append("| target | measured | goal | met |")
    out.append("|---|---:|---:|---|")
    for name, v, goal, met in targets:
        out.append(
            f"| {name} | {xr(v)} | {goal} | {'yes' if met else ('—' if v is None else 'NO')} |"
        )
    out.append("")
    if (
        bp
        and bp != "py-official-17.0.0"
        and any(r.client.key == "py-official-17.0.0" and r.status == "unavailable" for r in rows)
    ):
        out.append(
            f"Official Python baseline: `{bp.removeprefix('py-official-')}`, because "
            "17.0.0 as published on PyPI cannot be imported (its api modules import "
            "`sunshine_conversations_client.models`, the wheel ships `model/`).\n"
        )

    data = {
        "mode": mode,
        "meta": meta,
        "config": cfg,
        "baselines": base,
        "rows": [
            {
                "client": r.client.key,
                "label": r.client.label,
                "workload": r.workload,
                "status": r.status,
                "reason": r.reason,
                "crash": r.crash,
                **r.summary,
            }
            for r in rows
        ],
        "targets": [{"target": n, "measured": v, "goal": g, "met": m} for n, v, g, m in targets],
    }
    return "\n".join(out), data


def machine(ns: argparse.Namespace, clients: list[Client], mode: str) -> dict[str, Any]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    versions: dict[str, str] = {}
    versions["rustc"] = probe(["rustc", "-V"])[1].removeprefix("rustc ")
    ws = (HERE.parent / "Cargo.toml").read_text()
    m = re.search(r'\[workspace\.package\][^\[]*?version\s*=\s*"([^"]+)"', ws, re.S)
    versions["sunco"] = m.group(1) if m else ""
    if ns.py_sunco and Path(ns.py_sunco).exists():
        versions["Python"] = probe(
            [ns.py_sunco, "-c", "import platform; print(platform.python_version())"]
        )[1]
    versions["Node"] = probe([shutil.which(ns.node) or ns.node, "--version"])[1]
    py_off = [c.version for c in clients if is_official(c) and c.lang == "python" and c.version]
    js_off = [c.version for c in clients if is_official(c) and c.lang == "node" and c.version]
    versions["sunshine-conversations-client (PyPI)"] = " and ".join(py_off)
    versions["sunshine-conversations-client (npm)"] = " and ".join(js_off)
    cc = shutil.which(os.environ.get("CC", "cc"))
    if cc:
        versions["C compiler:"] = probe([cc, "--version"])[1].splitlines()[0]
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "mem": mem,
        "kernel": platform.release(),
        "profile": "release" if mode == "full" else "debug",
        "versions": versions,
    }


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--mode", choices=list(MODES), default="quick")
    ap.add_argument("--emulator", required=True)
    ap.add_argument("--rust-driver")
    ap.add_argument("--c-lib-dir")
    ap.add_argument("--c-include")
    ap.add_argument("--py-sunco", help="python interpreter with sunco installed")
    ap.add_argument(
        "--py-official",
        action="append",
        default=[],
        help="python interpreter of a venv with sunshine-conversations-client "
        "(repeatable; the first importable one is the baseline)",
    )
    ap.add_argument("--node", default="node")
    ap.add_argument("--node-sunco", help="directory of the sunco npm package")
    ap.add_argument("--node-official", help="directory of sunshine-conversations-client")
    ap.add_argument("--work", help="scratch directory (default bench/.build/MODE)")
    ap.add_argument("--out", help="markdown report (default bench/.build/MODE/results.md)")
    ap.add_argument("--repeat", type=int, help="runs per throughput workload (median kept)")
    ap.add_argument(
        "--unavailable",
        action="append",
        default=[],
        metavar="KEY=REASON",
        help="mark a client unavailable (c, py, node, ...), e.g. its build failed",
    )
    ap.add_argument("--only", help="comma-separated client keys to run (for debugging)")
    ns = ap.parse_args()

    cfg = MODES[ns.mode]
    work = Path(ns.work or HERE / ".build" / ns.mode).resolve()
    work.mkdir(parents=True, exist_ok=True)
    out_md = Path(ns.out or work / "results.md")
    repeat = ns.repeat or cfg["repeat"]

    t0 = time.monotonic()
    global LAUNCHER
    LAUNCHER = build_launcher(work)
    clients = discover(ns, work)
    groups = {
        "py": {"py-sync", "py-async"},
        "py-official": {c.key for c in clients if c.key.startswith("py-official")},
    }

    def matches(c: Client, key: str) -> bool:
        return c.key == key or c.key in groups.get(key, ())

    for item in ns.unavailable:
        key, _, reason = item.partition("=")
        for c in clients:
            if matches(c, key):
                c.unavailable = reason or "marked unavailable"
    if ns.only:
        keys = ns.only.split(",")
        clients = [c for c in clients if any(matches(c, k) for k in keys)]
    for c in clients:
        log(f"{c.key:<22} {'unavailable: ' + c.unavailable if c.unavailable else 'ok'}")

    emu = Emulator(ns.emulator)
    try:
        log(f"emulator at {emu.url}; seeding {cfg['seed']} conversations")
        ids = seed(emu, cfg["seed"])
        ids_file = work / "ids.txt"
        ids_file.write_text("\n".join(ids[:100]) + "\n")
        rows = bench(clients, emu, ids_file, cfg, work, repeat)
    finally:
        emu.stop()

    meta = machine(ns, clients, ns.mode)
    meta["duration_s"] = round(time.monotonic() - t0, 1)
    text, data = report(rows, meta, ns.mode)
    print(text)
    out_md.parent.mkdir(parents=True, exist_ok=True)
    out_md.write_text(text + "\n")
    out_md.with_suffix(".json").write_text(json.dumps(data, indent=1) + "\n")
    log(f"wrote {out_md} and {out_md.with_suffix('.json')} in {meta['duration_s']} s")

    failed = [r for r in rows if r.status == "failed" or r.crash]
    for r in failed:
        log(f"FAILED {r.client.key} {r.workload}: {r.reason or r.crash}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
