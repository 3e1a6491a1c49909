"""Receiving webhooks with the standard library's http.server and sunco.webhooks.parse.

    WEBHOOK_SECRET=... PORT=8080 python examples/python/webhook_server.py

Prints one line per event; answers 200, or the status of the refusal (401 for a missing or
wrong secret, 413 for a body over the limit, 400 for a malformed body).
"""

from __future__ import annotations

import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sunco import webhooks
from sunco.models import ConversationMessageEvent, TextMessage

SECRET = os.environ["WEBHOOK_SECRET"]


class Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, webhooks.MAX_BODY_BYTES + 1))
        try:
            payload = webhooks.parse(body, self.headers, SECRET)
        except webhooks.WebhookError as e:
            self.send_response(e.status)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        for event in payload.events or []:
            if isinstance(event, ConversationMessageEvent) and event.payload:
                message = event.payload.message
                if message and isinstance(message.content, TextMessage):
                    print("message:", message.content.text, flush=True)
                    continue
            print("event:", event.type, flush=True)

    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8080"))), Hook)
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
