"""Writes the C reference, target/docs/c/index.html, from include/conversations.h.

Usage: python3 ffi-c/docs.py HEADER OUT_DIR   (`make docs-c`; standard library only)

cbindgen copies every Rust doc comment into the header as a `/** ... */` block before its
declaration; this reads those blocks back and renders one entry per declaration (function,
opaque type, status value), grouped by API group, with an index at the top. Markdown is kept
light: `code`, paragraphs, `# Safety` headings and fenced blocks.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

BLOCK = re.compile(r"/\*\*(.*?)\*/\s*", re.S)
NAME = re.compile(r"\b(sunco_[a-z0-9_]+|SUNCO_[A-Z0-9_]+)\s*(?:\(|=|;|,|\n)")

# Sections by the noun of a function's name (`sunco_<noun>_...`), in reading order.
SECTIONS = [
    ("Library", ["version", "string"]),
    ("Configuration and client", ["options", "client"]),
    ("Statuses and errors", ["status", "error"]),
    ("Every operation by id", ["call", "operation", "authorize"]),
    ("Webhooks", ["webhook"]),
    ("Apps", ["apps"]),
    ("App Keys", ["app_keys"]),
    ("Attachments", ["attachments"]),
    ("Conversations", ["conversations", "conversation"]),
    ("Participants", ["participants"]),
    ("Messages", ["messages"]),
    ("Activities", ["activities"]),
    ("Switchboard Actions", ["switchboard_actions"]),
    ("Integrations", ["integrations"]),
    ("Custom Integration API Keys", ["integration_keys"]),
    ("Webhooks (API)", ["webhooks"]),
    ("Switchboards", ["switchboards"]),
    ("Switchboard Integrations", ["switchboard_integrations"]),
    ("Users", ["users"]),
    ("Clients", ["clients"]),
    ("Devices", ["devices"]),
    ("OAuth Endpoints", ["oauth"]),
]


def section_of(name: str) -> str:
    if name.startswith("SUNCO_"):
        return "Statuses and errors"
    rest = name.removeprefix("sunco_")
    best = ("Library", 0)
    for title, nouns in SECTIONS:
        for noun in nouns:
            if (rest == noun or rest.startswith(noun + "_")) and len(noun) > best[1]:
                best = (title, len(noun))
    return best[0]


def doc_html(lines: list[str]) -> str:
    out: list[str] = []
    para: list[str] = []
    fenced = False

    def flush() -> None:
        if para:
            text = html.escape(" ".join(para))
            text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
            out.append(f"<p>{text}</p>")
            para.clear()

    for line in lines:
        if line.startswith("```"):
            flush()
            out.append("</pre>" if fenced else "<pre>")
            fenced = not fenced
        elif fenced:
            out.append(html.escape(line))
        elif line.startswith("# "):
            flush()
            out.append(f"<h4>{html.escape(line[2:])}</h4>")
        elif not line.strip():
            flush()
        else:
            para.append(line.strip())
    flush()
    if fenced:
        out.append("</pre>")
    return "\n".join(out)


def entries(header: str) -> list[tuple[str, str, list[str]]]:
    """(name, declaration, doc lines) for each documented declaration."""
    out = []
    for m in BLOCK.finditer(header):
        lines = [re.sub(r"^\s*\* ?", "", ln) for ln in m.group(1).strip("\n").splitlines()]
        rest = header[m.end() :]
        decl = (
            rest[: rest.find(";") + 1]
            if not rest.lstrip().startswith("#define")
            else rest.split("\n", 2)[0]
        )
        if rest.lstrip().startswith(("SUNCO_",)):
            decl = rest.split("\n", 1)[0].strip().rstrip(",")
        elif rest.startswith("#define"):
            continue
        name = NAME.search(decl + "\n")
        if name and not decl.startswith("typedef enum"):
            out.append(
                (name.group(1), " ".join(decl.split()) if "(" not in decl else decl.strip(), lines)
            )
    return out


def render(header: str, version: str) -> str:
    items = entries(header)
    by_section: dict[str, list[tuple[str, str, list[str]]]] = {t: [] for t, _ in SECTIONS}
    for item in items:
        by_section[section_of(item[0])].append(item)
    toc, body = [], []
    for title, _ in SECTIONS:
        group = by_section[title]
        if not group:
            continue
        anchor = re.sub(r"[^a-z0-9]+", "-", title.lower())
        toc.append(
            f'<li><a href="#{anchor}">{html.escape(title)}</a>: '
            + ", ".join(f'<a href="#{n}"><code>{n}</code></a>' for n, _, _ in group)
            + "</li>"
        )
        body.append(f'<h2 id="{anchor}">{html.escape(title)}</h2>')
        for name, decl, lines in group:
            body.append(
                f'<section id="{name}"><h3><code>{name}</code></h3>'
                f"<pre class=decl>{html.escape(decl)}</pre>{doc_html(lines)}</section>"
            )
    style = (
        "body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;line-height:1.45;"
        "padding:0 1em}pre{background:#f4f4f4;padding:.5em;overflow-x:auto}"
        "section{border-top:1px solid #ddd;margin-top:1.2em}code{font-size:.92em}li{margin:.3em 0}"
    )
    intro = (
        "Generated from <code>include/conversations.h</code> by <code>ffi-c/docs.py</code> "
        f"(<code>make docs-c</code>). {len(items)} documented declarations. Conventions: every "
        "fallible function returns a <code>sunco_status</code>; out-parameters are NULL on entry "
        "and written only on success; <code>sunco_error **err</code> may be NULL; strings handed "
        "out are freed with <code>sunco_string_free</code>."
    )
    title = f"libconversations {version}: the C reference"
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>\n'
        f"<style>{style}</style></head><body>\n<h1>{title}</h1>\n<p>{intro}</p>\n"
        f"<ul>{''.join(toc)}</ul>\n{''.join(body)}\n</body></html>\n"
    )


def main() -> int:
    header_path, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    header = header_path.read_text(encoding="utf-8")
    version = re.search(r'#define SUNCO_VERSION "([^"]+)"', header)
    page = render(header, version.group(1) if version else "?")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "index.html").write_text(page, encoding="utf-8")
    count = page.count("<section ")
    print(f"docs-c: {count} entries in {out_dir / 'index.html'}")
    return 0 if count > 100 else 1


if __name__ == "__main__":
    sys.exit(main())
