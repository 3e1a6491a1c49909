"""Writes target/docs/index.html: one link per language reference that `make docs` built.

Usage: python scripts/docs/index.py OUT_DIR
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

# (folder under OUT_DIR, title, entry page inside it, what it documents)
REFERENCES = [
    ("rust", "Rust", "sunco/index.html", "the `sunco` crate (rustdoc), with the guide per group"),
    ("c", "C and C++", "index.html", "`include/conversations.h`: every function, type and status"),
    ("python", "Python", "index.html", "the `sunco` package: Client, AsyncClient, models, webhooks"),
    ("node", "Node", "index.html", "the `sunco` npm package, from its TypeScript declarations"),
]


def main() -> int:
    out = Path(sys.argv[1])
    root = Path(__file__).resolve().parents[2]
    manifest = json.loads((root / "api.json").read_text(encoding="utf-8"))
    rows = []
    missing = []
    for folder, title, entry, what in REFERENCES:
        if (out / folder / entry).exists():
            rows.append(f'<li><a href="{folder}/{entry}">{html.escape(title)}</a>: {html.escape(what)}</li>')
        else:
            missing.append(title)
    if missing:
        print(f"docs: no reference built for {', '.join(missing)}", file=sys.stderr)
        return 1
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sunco reference</title>
<style>body{{font-family:system-ui,sans-serif;max-width:44em;margin:3em auto;line-height:1.5}}</style>
</head><body>
<h1>sunco reference</h1>
<p>A client for the Sunshine Conversations v2 API (spec {html.escape(manifest["specVersion"])}),
{len(manifest["operations"])} operations in {len(manifest["groups"])} groups, one core in Rust.</p>
<ul>
{chr(10).join(rows)}
</ul>
<p>The name of each operation in every language is in the README's operation table and in
<code>api.json</code>.</p>
</body></html>
"""
    (out / "index.html").write_text(page, encoding="utf-8")
    print(f"docs: wrote {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
