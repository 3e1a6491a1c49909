"""An offline bot: receives `conversation:message` webhooks and answers through the API.

Started by the demo harness (scripts/bot-demo.py) with SUNCO_BASE_URL, SUNCO_KEY_ID,
SUNCO_KEY_SECRET, SUNCO_APP_ID (the API), BOT_PORT (listen on 127.0.0.1:BOT_PORT),
BOT_WEBHOOK_SECRET (the webhook's secret) and BOT_AGENT (the switchboard integration to pass
control to). Standard library server; every request is checked by `sunco.webhooks.parse`.

- a user's text `agent`: posts "Passing you to an agent." and passes control to BOT_AGENT;
- any other user text: posts "You said: <text>" with two quick replies;
- other events are ignored; a wrong or missing secret answers 401, a malformed body 400, a
  body over the limit 413. Exits 0 on SIGTERM or SIGINT.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType

import sunco
from sunco import content, webhooks
from sunco.models import ConversationMessageEvent, TextMessage, WebhookEvent
from sunco.resources import App


class Bot:
    """What the bot does with each event (kept apart from the server, so tests can drive it)."""

    def __init__(self, app: App, agent: str) -> None:
        self.app = app
        self.agent = agent

    def handle(self, event: WebhookEvent) -> str | None:
        """Acts on one event; returns the line printed for it, or None when it is ignored."""
        if not isinstance(event, ConversationMessageEvent) or event.payload is None:
            return None
        message, conversation = event.payload.message, event.payload.conversation
        if message is None or conversation is None or conversation.id is None:
            return None
        if message.author is None or message.author.type != "user":
            return None
        if not isinstance(message.content, TextMessage) or message.content.text is None:
            return None
        cid, text = conversation.id, message.content.text
        messages = self.app.messages(cid)
        if text.strip().lower() == "agent":
            messages.post(
                author=content.business(), content=content.text("Passing you to an agent.")
            )
            self.app.switchboard_actions(cid).pass_control(switchboard_integration=self.agent)
            return f"bot: {cid} passed control"
        answer = content.text(
            f"You said: {text}",
            actions=[content.reply("Talk to an agent", "agent"), content.reply("Thanks", "thanks")],
        )
        messages.post(author=content.business(), content=answer)
        return f"bot: {cid} replied"


def serve(bot: Bot, port: int, secret: str) -> None:
    """Listens on 127.0.0.1:port until SIGTERM or SIGINT; events are handled in order, one
    at a time, after the webhook was answered."""
    work: queue.Queue[WebhookEvent | None] = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            # Read at most one byte past the limit: parse refuses the rest with a 413.
            body = self.rfile.read(min(length, webhooks.MAX_BODY_BYTES + 1))
            try:
                payload = webhooks.parse(body, self.headers, secret)
            except webhooks.WebhookError as e:
                self.answer(e.status)
                return
            self.answer(200)
            for event in payload.events or []:
                work.put(event)

        def answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            if status != 200:
                self.send_header("Connection", "close")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per handled event only

    def worker() -> None:
        while (event := work.get()) is not None:
            try:
                line = bot.handle(event)
            except sunco.SuncoError as e:
                print(f"bot: error: {e}", file=sys.stderr, flush=True)
                continue
            if line is not None:
                print(line, flush=True)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    threads = [
        threading.Thread(target=server.serve_forever, daemon=True),
        threading.Thread(target=worker, daemon=True),
    ]
    for t in threads:
        t.start()
    print(f"bot: listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    stop.wait()
    server.shutdown()
    server.server_close()
    work.put(None)
    threads[1].join(timeout=10)


def main() -> int:
    env = os.environ
    with sunco.Client.from_env() as client:
        bot = Bot(client.app(env["SUNCO_APP_ID"]), env["BOT_AGENT"])
        serve(bot, int(env["BOT_PORT"]), env["BOT_WEBHOOK_SECRET"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
