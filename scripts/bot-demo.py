#!/usr/bin/env python3
"""Run an offline bot end to end against a fresh emulator and check that it answers.

    python3 scripts/bot-demo.py --emulator target/.../sunco-emulator -- <bot command...>

The harness (Python standard library only):

1. starts the emulator on a free loopback port (fast webhook retries);
2. creates, through the API, a custom integration for the bot with a webhook
   (target http://127.0.0.1:<BOT_PORT>/, triggers conversation:message, includeFullUser),
   an "agent desk" custom integration whose webhook is a small receiver in this script
   (triggers switchboard:passControl), and a switchboard whose integrations are "bot"
   (the default, in control) and "agent";
3. creates an end user and their personal conversation;
4. starts the bot with SUNCO_BASE_URL, SUNCO_KEY_ID, SUNCO_KEY_SECRET, SUNCO_APP_ID,
   BOT_PORT, BOT_WEBHOOK_SECRET and BOT_AGENT=agent, and waits for its line
   "bot: listening on 127.0.0.1:<port>";
5. acts as the end user through the emulator's control: writes "hello", waits for the bot's
   reply "You said: hello" with the quick replies "Talk to an agent" (payload agent) and
   "Thanks" (payload thanks); taps "Talk to an agent" (text "agent", payload "agent"),
   waits for "Passing you to an agent." and for the switchboard to pass control to "agent"
   (the conversation's activeSwitchboardIntegration, and the agent desk's webhook);
6. checks that the bot answers a wrong or missing secret 401, a malformed body 400 and a
   body over 1 MiB 413 (before any event, so a refused request must do nothing), that it
   printed "bot: <conversationId> replied" and "... passed control", that
   every webhook delivery was answered 2xx, and that the bot exits 0 on SIGTERM;
7. prints a transcript, stops the bot and the emulator, and exits 1 if anything expected
   did not happen (2 on a usage error).

Every wait is bounded by --timeout (seconds, default 30) and polls the API or the delivery
log; nothing sleeps for a fixed time to let something happen.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import http.server
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

APP_ID = "demo-app"
KEY_ID = "demo-key"
KEY_SECRET = "demo-secret"
AGENT = "agent"
POLL_SECONDS = 0.05


class DemoFailure(Exception):
    """Something the bot contract expects did not happen."""


class Api:
    """A tiny JSON client for the emulator's API (Basic auth) and its controls."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        token = base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
        self.auth = f"Basic {token}"

    def call(self, method: str, path: str, body: Any = None, auth: bool = True) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("accept", "application/json")
        if data is not None:
            request.add_header("content-type", "application/json")
        if auth:
            request.add_header("authorization", self.auth)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode(errors="replace")
            raise DemoFailure(f"{method} {path} answered {e.code}: {detail}") from None
        except urllib.error.URLError as e:
            raise DemoFailure(f"{method} {path} failed: {e.reason}") from None
        return json.loads(raw) if raw else {}

    def app(self, method: str, path: str, body: Any = None) -> Any:
        return self.call(method, f"/v2/apps/{APP_ID}{path}", body)

    def control(self, method: str, path: str, body: Any = None) -> Any:
        return self.call(method, f"/_emulator{path}", body, auth=False)


class AgentDesk:
    """The agent integration's webhook target: records the events it receives (secret
    checked) on a queue."""

    def __init__(self) -> None:
        self.secret = ""
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.refused = 0
        desk = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                if self.headers.get("x-api-key") != desk.secret:
                    desk.refused += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                try:
                    for event in json.loads(body).get("events", []):
                        desk.events.put(event)
                except ValueError:
                    self.send_response(400)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Lines:
    """Reads a child's stdout on a thread; lines arrive on a queue (and are kept)."""

    def __init__(self, stream: Any) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []

        def pump() -> None:
            for raw in iter(stream.readline, ""):
                line = raw.rstrip("\n")
                self.seen.append(line)
                self.queue.put(line)
            self.queue.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def wait_for(
        self, wanted: Callable[[str], bool], deadline: float, what: str
    ) -> str:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DemoFailure(f"timed out waiting for {what}")
            try:
                line = self.queue.get(timeout=remaining)
            except queue.Empty:
                raise DemoFailure(f"timed out waiting for {what}") from None
            if line is None:
                raise DemoFailure(f"the output ended before {what}")
            if wanted(line):
                return line


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def poll(deadline: float, what: str, probe: Callable[[], Any]) -> Any:
    """Calls `probe` until it returns something truthy or the deadline passes."""
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() >= deadline:
            raise DemoFailure(f"timed out waiting for {what}")
        time.sleep(POLL_SECONDS)


def stop(process: subprocess.Popen[str], deadline_seconds: float) -> int | None:
    """SIGTERM, then the exit status (None if it had to be killed)."""
    if process.poll() is not None:
        return process.returncode
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=deadline_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


def refusals(port: int, secret: str) -> list[str]:
    """Posts what the bot must refuse; returns one line per check, raises on a wrong answer.

    A wrong or missing X-API-Key is 401, a malformed body 400, a body over 1 MiB 413 (the
    webhook limit of every binding)."""
    empty = json.dumps({"app": {"id": APP_ID}, "events": []}).encode()
    big = b'{"events": [], "pad": "' + b"x" * (1024 * 1024) + b'"}'
    checks = [
        ("a wrong secret", {"x-api-key": "not-" + secret}, empty, 401),
        ("no secret", {}, empty, 401),
        ("a malformed body", {"x-api-key": secret}, b'{"events": [tru', 400),
        (f"a body of {len(big)} bytes", {"x-api-key": secret}, big, 413),
    ]
    lines = []
    for what, headers, body, expected in checks:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            try:
                connection.request(
                    "POST",
                    "/",
                    body=body,
                    headers={"content-type": "application/json", **headers},
                )
            except (BrokenPipeError, ConnectionResetError):
                # A server may answer 413 and close before reading the whole body: its
                # answer is still there to read.
                pass
            status = connection.getresponse().status
        except OSError as e:
            raise DemoFailure(f"the bot did not answer {what}: {e}") from None
        finally:
            connection.close()
        if status != expected:
            raise DemoFailure(
                f"the bot answered {status} to {what} (expected {expected})"
            )
        lines.append(f"{what}: {status}")
    return lines


def business_messages(api: Api, conversation_id: str) -> list[dict[str, Any]]:
    messages = api.app("GET", f"/conversations/{conversation_id}/messages")["messages"]
    return [m for m in messages if m.get("author", {}).get("type") == "business"]


def describe(message: dict[str, Any]) -> str:
    content = message.get("content", {})
    text = content.get("text", f"({content.get('type')})")
    actions = content.get("actions") or []
    if actions:
        shown = ", ".join(f"[{a.get('text')} -> {a.get('payload')}]" for a in actions)
        return f"{text}  {shown}"
    return str(text)


def run(emulator: str, bot: list[str], timeout: float) -> list[str]:
    """The whole demo; returns the transcript, raises DemoFailure."""
    transcript: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        emu = subprocess.Popen(
            [
                emulator,
                "--port",
                "0",
                "--webhook-backoff",
                "50",
                "--webhook-attempts",
                "5",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
    except OSError as e:
        raise DemoFailure(f"cannot start the emulator: {e}") from None
    desk = AgentDesk()
    bot_process: subprocess.Popen[str] | None = None
    try:
        assert emu.stdout is not None
        base = emu.stdout.readline().strip()
        if not base.startswith("http://127.0.0.1:"):
            raise DemoFailure(f"the emulator printed {base!r} instead of its URL")
        api = Api(base)
        port = free_port()

        bot_integration = api.app(
            "POST",
            "/integrations",
            {
                "type": "custom",
                "displayName": "Demo bot",
                "webhooks": [
                    {
                        "target": f"http://127.0.0.1:{port}/",
                        "triggers": ["conversation:message"],
                        "includeFullUser": True,
                    }
                ],
            },
        )["integration"]
        secret = bot_integration["webhooks"][0]["secret"]
        agent_integration = api.app(
            "POST",
            "/integrations",
            {
                "type": "custom",
                "displayName": "Agent desk",
                "webhooks": [
                    {
                        "target": f"http://127.0.0.1:{desk.port}/",
                        "triggers": ["switchboard:passControl"],
                    }
                ],
            },
        )["integration"]
        desk.secret = agent_integration["webhooks"][0]["secret"]
        switchboard = api.app("POST", "/switchboards")["switchboard"]
        sb = f"/switchboards/{switchboard['id']}/switchboardIntegrations"
        bot_sbi = api.app(
            "POST",
            sb,
            {
                "name": "bot",
                "integrationId": bot_integration["id"],
            },
        )["switchboardIntegration"]
        api.app(
            "POST",
            sb,
            {
                "name": AGENT,
                "integrationId": agent_integration["id"],
            },
        )
        api.app(
            "PATCH",
            f"/switchboards/{switchboard['id']}",
            {
                "enabled": True,
                "defaultSwitchboardIntegrationId": bot_sbi["id"],
            },
        )
        user = api.app(
            "POST",
            "/users",
            {
                "externalId": "demo-end-user",
                "profile": {"givenName": "Dana", "surname": "Demo"},
            },
        )["user"]
        conversation = api.app(
            "POST",
            "/conversations",
            {
                "type": "personal",
                "participants": [{"userId": user["id"]}],
            },
        )["conversation"]
        cid = conversation["id"]
        transcript.append(f"conversation {cid} (user {user['id']}, Dana Demo)")

        env = dict(os.environ)
        env.update(
            {
                "SUNCO_BASE_URL": base,
                "SUNCO_KEY_ID": KEY_ID,
                "SUNCO_KEY_SECRET": KEY_SECRET,
                "SUNCO_APP_ID": APP_ID,
                "BOT_PORT": str(port),
                "BOT_WEBHOOK_SECRET": secret,
                "BOT_AGENT": AGENT,
            }
        )
        try:
            bot_process = subprocess.Popen(
                bot, stdout=subprocess.PIPE, text=True, env=env
            )
        except OSError as e:
            raise DemoFailure(f"cannot start the bot: {e}") from None
        assert bot_process.stdout is not None
        out = Lines(bot_process.stdout)
        listening = f"bot: listening on 127.0.0.1:{port}"
        out.wait_for(
            lambda line: line == listening, deadline, f"the line {listening!r}"
        )
        transcript.append(f"bot listening on 127.0.0.1:{port}")
        transcript.append("bot refused " + ", ".join(refusals(port, secret)))

        user_path = f"/apps/{APP_ID}/conversations/{cid}/user-messages"
        api.control("POST", user_path, {"userId": user["id"], "text": "hello"})
        transcript.append("user : hello")
        reply = poll(
            deadline,
            "the bot's reply to 'hello'",
            lambda: [
                m
                for m in business_messages(api, cid)
                if m.get("content", {}).get("text") == "You said: hello"
            ],
        )[0]
        transcript.append(f"bot  : {describe(reply)}")
        actions = [
            (a.get("type"), a.get("text"), a.get("payload"))
            for a in reply["content"].get("actions") or []
        ]
        expected = [
            ("reply", "Talk to an agent", "agent"),
            ("reply", "Thanks", "thanks"),
        ]
        if actions != expected:
            raise DemoFailure(
                f"the reply's quick replies are {actions}, expected {expected}"
            )
        out.wait_for(
            lambda line: line == f"bot: {cid} replied",
            deadline,
            f"the line 'bot: {cid} replied'",
        )

        api.control(
            "POST",
            user_path,
            {"userId": user["id"], "text": "agent", "payload": "agent"},
        )
        transcript.append("user : agent  (tapped 'Talk to an agent')")
        handoff = poll(
            deadline,
            "the bot's 'Passing you to an agent.'",
            lambda: [
                m
                for m in business_messages(api, cid)
                if m.get("content", {}).get("text") == "Passing you to an agent."
            ],
        )[0]
        transcript.append(f"bot  : {describe(handoff)}")

        def in_control() -> str | None:
            c = api.app("GET", f"/conversations/{cid}")["conversation"]
            active = c.get("activeSwitchboardIntegration") or {}
            return active.get("name") if active.get("name") == AGENT else None

        poll(deadline, f"control to pass to {AGENT!r}", in_control)
        try:
            event = desk.events.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise DemoFailure(
                "the agent desk's webhook got no switchboard:passControl"
            ) from None
        active = event["payload"]["conversation"].get(
            "activeSwitchboardIntegration", {}
        )
        if (
            event.get("type") != "switchboard:passControl"
            or active.get("name") != AGENT
        ):
            raise DemoFailure(f"the agent desk got {json.dumps(event)}")
        transcript.append(
            f"switchboard: control passed to {AGENT!r} "
            f"(the agent desk's webhook got {event['type']})"
        )
        out.wait_for(
            lambda line: line == f"bot: {cid} passed control",
            deadline,
            f"the line 'bot: {cid} passed control'",
        )

        said = [describe(m) for m in business_messages(api, cid)]
        if len(said) != 2:
            raise DemoFailure(
                f"the bot posted {len(said)} messages, expected 2: {said}"
            )

        log = api.control("GET", "/deliveries?idle=10000")
        failed = [d for d in log["deliveries"] if d["outcome"] != "delivered"]
        if failed:
            raise DemoFailure(
                f"webhook deliveries that did not succeed: {json.dumps(failed)}"
            )
        if desk.refused:
            raise DemoFailure(
                f"the agent desk refused {desk.refused} request(s) (wrong secret)"
            )
        transcript.append(
            f"webhooks: {len(log['deliveries'])} deliveries, all answered 2xx"
        )

        status = stop(bot_process, max(1.0, deadline - time.monotonic()))
        bot_process = None
        if status != 0:
            raise DemoFailure(f"the bot exited with {status} on SIGTERM (expected 0)")
        transcript.append("bot stopped (exit 0 on SIGTERM)")
        bot_lines = [line for line in out.seen if line.startswith("bot: ")]
        transcript.append("bot said: " + " | ".join(bot_lines))
        return transcript
    except DemoFailure as e:
        if bot_process is not None:
            try:
                # A bot whose output ended is exiting: give it a moment to be reaped.
                status = bot_process.wait(timeout=1)
                e.args = (f"{e} (the bot exited with status {status})",)
            except subprocess.TimeoutExpired:
                pass
        transcript.append(f"FAILED: {e}")
        e.args = ("\n".join(transcript),)
        raise
    finally:
        if bot_process is not None:
            stop(bot_process, 5)
        desk.close()
        stop(emu, 5)


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Run an offline bot end to end against a fresh sunco emulator.",
        usage="%(prog)s --emulator BINARY [--timeout SECS] -- BOT_COMMAND...",
    )
    parser.add_argument("--emulator", required=True, help="the sunco-emulator binary")
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="deadline for the whole run, in seconds (default 30)",
    )
    parser.add_argument("bot", nargs=argparse.REMAINDER, help="the bot's command line")
    args = parser.parse_args()
    bot = args.bot[1:] if args.bot[:1] == ["--"] else args.bot
    if not bot:
        parser.error("give the bot's command after --")
    if not os.access(args.emulator, os.X_OK):
        parser.error(f"{args.emulator} is not an executable (build it: make emulator)")
    name = " ".join(bot)
    try:
        transcript = run(args.emulator, bot, args.timeout)
    except DemoFailure as e:
        print(f"bot-demo: {name}\n{e}", file=sys.stderr)
        return 1
    print(f"bot-demo: {name}")
    for line in transcript:
        print(f"  {line}")
    print("bot-demo: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
