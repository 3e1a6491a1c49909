#!/usr/bin/env python3
"""A throwaway npm registry on 127.0.0.1 serving only the tarballs of one folder (dist/npm), so
that `npm install sunco` can be tried as users will run it (the main package, then the
optional per-platform package npm picks by os/cpu/libc) without publishing anything.

    npm_registry.py DIR     prints its URL on the first line of stdout, serves until killed
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import tarfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote


def load(folder: Path, base: str) -> tuple[dict[str, dict], dict[str, Path]]:
    packuments: dict[str, dict] = {}
    files: dict[str, Path] = {}
    for tgz in sorted(folder.glob("*.tgz")):
        with tarfile.open(tgz) as t:
            manifest = json.load(t.extractfile("package/package.json"))  # type: ignore[arg-type]
        data = tgz.read_bytes()
        name, version = manifest["name"], manifest["version"]
        files[tgz.name] = tgz
        manifest["dist"] = {
            "tarball": f"{base}/-/{tgz.name}",
            "shasum": hashlib.sha1(data).hexdigest(),
            "integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode(),
        }
        doc = packuments.setdefault(name, {"name": name, "versions": {}, "dist-tags": {}})
        doc["versions"][version] = manifest
        doc["dist-tags"]["latest"] = version
    return packuments, files


def main() -> None:
    folder = Path(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    packuments, files = load(folder, base)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            path = unquote(self.path.split("?")[0]).lstrip("/")
            if path.startswith("-/") and path[2:] in files:
                body, kind = files[path[2:]].read_bytes(), "application/octet-stream"
            elif path in packuments:
                body, kind = json.dumps(packuments[path]).encode(), "application/json"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server.RequestHandlerClass = Handler
    print(base, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
