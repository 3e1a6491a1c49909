#!/usr/bin/env python3
"""Generates files derived from spec/openapi.yaml. Run `make codegen`; never edit the outputs.

Outputs (at the repository root):
  core/src/operations.rs  one descriptor per operation (the core's generic entry reads them)
  api.json    the manifest: every operationId with its group, method, path, parameters, body,
              success response, pagination, auth scopes, and its name in each binding where
              the binding offers it (null where it does not yet)
  README.md   the operation table between the `<!-- operations:begin -->` / `end` markers
  and what codegen/rust_types.py and each binding's codegen/<lang>_surface.py write

`--check` writes nothing and exits 1 when a committed output differs from what it would write.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rust_types  # noqa: E402  (the typed models and handles; a module of its own)

# Each binding's generated surface lives in a module of its own, `codegen/<name>.py`, owned by
# that binding. A module offers `names(ops) -> {operationId: name}` (its typed name for each
# operation, overriding the generic entry) and `outputs(spec, ops, root) -> {path: text}` (the
# files it writes, formatted, except that this script rustfmts every `.rs` one), and may offer
# `owned_dirs(root) -> [dir]` (folders where any file it does not write is a leftover to
# remove). A module that is absent is skipped.
SURFACES = {"c": "c_surface", "python": "python_surface", "node": "node_surface"}


ONLY: set[str] = set(SURFACES)  # `--only LANG` narrows it while a binding's generator is worked on


def surface_modules() -> dict[str, Any]:
    """The binding generators present in codegen/, by language."""
    import importlib

    here = Path(__file__).resolve().parent
    present = {lang: mod for lang, mod in SURFACES.items() if lang in ONLY and (here / f"{mod}.py").exists()}
    return {lang: importlib.import_module(mod) for lang, mod in present.items()}

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
METHODS = ("get", "post", "put", "patch", "delete")
BEGIN, END = "<!-- operations:begin -->", "<!-- operations:end -->"
RUST_OUT = ROOT / "core" / "src" / "operations.rs"
SCHEMAS_OUT = ROOT / "core" / "src" / "schemas.rs"

# Rules the spec states only in prose, keyed by operationId.
# ListMessages pages backwards: no cursor gives the most recent page, `hasMore` tells whether
# older records exist, and a walk follows `beforeCursor` (the operation's description).
BACKWARD_LISTS = {"ListMessages"}
# Authorize is a browser redirect, not a call: the core builds its URL instead.
REDIRECTS = {"Authorize"}
# GetToken exchanges an OAuth code for a token: it is sent without credentials.
NO_AUTH = {"GetToken"}

# Where each binding offers an operation today, keyed by operationId. The binding issue fills
# the rest; a binding's tests check that every name listed here is callable.
BINDINGS: dict[str, dict[str, str]] = {
    "CreateConversation": {
        "rust": "client.conversations(app_id).create",
        "c": "sunco_conversations_create",
        "python": "client.conversations(app_id).create",
        "node": "client.conversations(appId).create",
    },
    "ListConversations": {
        "rust": "client.conversations(app_id).list",
        "c": "sunco_conversations_list",
        "python": "client.conversations(app_id).list",
        "node": "client.conversations(appId).list",
    },
    "GetConversation": {
        "rust": "client.conversations(app_id).get",
        "c": "sunco_conversations_get",
        "python": "client.conversations(app_id).get",
        "node": "client.conversations(appId).get",
    },
    "UpdateConversation": {
        "rust": "client.conversations(app_id).update",
        "c": "sunco_conversations_update",
        "python": "client.conversations(app_id).update",
        "node": "client.conversations(appId).update",
    },
    "DeleteConversation": {
        "rust": "client.conversations(app_id).delete",
        "c": "sunco_conversations_delete",
        "python": "client.conversations(app_id).delete",
        "node": "client.conversations(appId).delete",
    },
    "DownloadMessageRef": {
        "rust": "client.conversations(app_id).download_message_ref",
        "c": "sunco_conversations_download_message_ref",
        "python": "client.conversations(app_id).download_message_ref",
        "node": "client.conversations(appId).downloadMessageRef",
    },
}
LANGUAGES = ("rust", "c", "python", "node")
# The bindings whose generic entry (any operation by id) has landed; the others show a dash.
GENERIC_ENTRY = {"rust", "c", "python", "node"}


def names(op_id: str, body: dict[str, Any] | None) -> dict[str, str | None]:
    """Each binding's name for an operation: its typed method where there is one, else the
    binding's generic entry where that can send the operation, else None."""
    out: dict[str, str | None] = {lang: BINDINGS.get(op_id, {}).get(lang) for lang in LANGUAGES}
    json_call = body is None or body["contentType"] == "application/json"
    generic = {
        "rust": (f'client.call("{op_id}", args)', "client.authorize_url(query)"),
        "c": (f'sunco_call(client, "{op_id}", args_json, ...)', "sunco_authorize_url(client, query_json, ...)"),
        "python": (f'client.call("{op_id}", ...)', "client.authorize_url(...)"),
        "node": (f"client.call('{op_id}', args)", "client.authorizeUrl(query)"),
    }
    if out["rust"] is None and op_id == "UploadAttachment":
        out["rust"] = "client.app(app_id).attachments().upload"
    for lang in LANGUAGES:
        if out[lang] is None and lang in GENERIC_ENTRY:
            call, redirect = generic[lang]
            if op_id in REDIRECTS:
                out[lang] = redirect
            elif json_call:
                out[lang] = call
    return out


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follows a local `$ref` (`#/components/...`) to the object it names."""
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def parameter(spec: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    p = resolve(spec, raw)
    out: dict[str, Any] = {"name": p["name"], "in": p["in"], "required": bool(p.get("required"))}
    if p["in"] == "query":
        out["style"] = p.get("style", "form")
    return out


def success(spec: dict[str, Any], responses: dict[str, Any]) -> dict[str, Any]:
    for status in sorted(responses):
        if status.startswith(("2", "3")):
            resp = resolve(spec, responses[status])
            content = resp.get("content", {})
            schema = next(iter(content.values()), {}).get("schema", {}) if content else {}
            return {"status": int(status), "schema": ref_name(schema)}
    raise SystemExit("an operation without a success response")


def items_key(spec: dict[str, Any], responses: dict[str, Any]) -> str:
    """The array field of a list response (`conversations`, `messages`, ...)."""
    for status, raw in responses.items():
        if status.startswith("2"):
            schema = resolve(spec, resolve(spec, raw)["content"]["application/json"]["schema"])
            props = dict(schema.get("properties", {}))
            for part in schema.get("allOf", []):
                props.update(resolve(spec, part).get("properties", {}))
            arrays = [k for k, v in props.items() if resolve(spec, v).get("type") == "array"]
            if len(arrays) == 1:
                return arrays[0]
    raise SystemExit("a paginated operation without one array in its response")


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    ops = []
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [parameter(spec, p) for p in shared + op.get("parameters", [])]
            body = op.get("requestBody")
            body_out = None
            if body is not None:
                body = resolve(spec, body)
                (ctype, media), *_ = body["content"].items()
                body_out = {
                    "contentType": ctype,
                    "schema": ref_name(media.get("schema", {})),
                    "required": bool(body.get("required")),
                }
            query = [p for p in params if p["in"] == "query"]
            for q in query:
                raw = resolve(spec, next(r for r in shared + op.get("parameters", []) if resolve(spec, r)["name"] == q["name"]))
                schema = resolve(spec, raw.get("schema", {}))
                if q.get("style") == "deepObject":
                    q["keys"] = [
                        {"name": k, "type": resolve(spec, v).get("type", "string")}
                        for k, v in schema.get("properties", {}).items()
                    ]
            scopes = sorted({s for req in op.get("security", spec.get("security", [])) for s in next(iter(req.values()), [])})
            ops.append(
                {
                    "operationId": op["operationId"],
                    "group": op["tags"][0],
                    "method": method.upper(),
                    "path": path,
                    "pathParams": [p["name"] for p in params if p["in"] == "path"],
                    "query": query,
                    "body": body_out,
                    "success": success(spec, op["responses"]),
                    "paginated": any(p["name"] == "page" for p in query),
                    "items": items_key(spec, op["responses"]) if any(p["name"] == "page" for p in query) else None,
                    "direction": "backward" if op["operationId"] in BACKWARD_LISTS else "forward",
                    "auth": scopes if op.get("security", spec.get("security")) else [],
                    "summary": op.get("summary", ""),
                    "names": names(op["operationId"], body_out),
                }
            )
    # The typed Rust method wins over the generic entry where the generator made one.
    for op_id, name in rust_types.typed_names(ops).items():
        op = next(o for o in ops if o["operationId"] == op_id)
        op["names"]["rust"] = name
    for lang, module in surface_modules().items():
        for op_id, name in module.names(ops).items():
            next(o for o in ops if o["operationId"] == op_id)["names"][lang] = name
    return ops


def manifest(spec: dict[str, Any]) -> str:
    ops = operations(spec)
    doc = {
        "_generated": "by codegen/generate.py from spec/openapi.yaml; run `make codegen`, do not edit",
        "specVersion": spec["info"]["version"],
        "groups": [t["name"] for t in spec.get("tags", [])],
        "operations": ops,
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def rust_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def doc_line(text: str) -> str:
    return " ".join(text.split()).replace("*/", "* /")


def rust(spec: dict[str, Any]) -> str:
    ops = operations(spec)
    out = [
        "//! Every operation of the API, one descriptor each.",
        "//!",
        f"//! Generated by `codegen/generate.py` from `spec/openapi.yaml` ({spec['info']['version']});",
        "//! run `make codegen`, do not edit.",
        "",
        "use crate::operation::{Body, BodyKind, Direction, Key, KeyType, Operation, Query, QueryStyle};",
        "",
        f"/// The {len(ops)} operations of the spec, in the spec's order.",
        "pub static OPERATIONS: &[Operation] = &[",
    ]
    for o in ops:
        q_items = []
        for q in o["query"]:
            if q.get("style") == "deepObject":
                keys = ", ".join(
                    f"Key {{ name: {rust_str(k['name'])}, kind: KeyType::{'Integer' if k['type'] == 'integer' else 'String'} }}"
                    for k in q["keys"]
                )
                style = f"QueryStyle::DeepObject(&[{keys}])"
            else:
                style = "QueryStyle::Form"
            q_items.append(f"Query {{ name: {rust_str(q['name'])}, style: {style}, required: {str(q['required']).lower()} }}")
        body = o["body"]
        if body is None:
            body_s = "None"
        else:
            kind = "Json" if body["contentType"] == "application/json" else "Multipart"
            body_s = (
                f"Some(Body {{ kind: BodyKind::{kind}, schema: {rust_str(body['schema'] or '')}, "
                f"required: {str(body['required']).lower()} }})"
            )
        items = f"Some({rust_str(o['items'])})" if o["items"] else "None"
        direction = "Direction::Backward" if o["direction"] == "backward" else "Direction::Forward"
        path_params = ", ".join(rust_str(p) for p in o["pathParams"])
        scopes = ", ".join(rust_str(s) for s in o["auth"])
        out += [
            f"    // {doc_line(o['summary'])}",
            "    Operation {",
            f"        id: {rust_str(o['operationId'])},",
            f"        group: {rust_str(o['group'])},",
            f"        method: {rust_str(o['method'])},",
            f"        path: {rust_str(o['path'])},",
            f"        path_params: &[{path_params}],",
            f"        query: &[{', '.join(q_items)}],",
            f"        body: {body_s},",
            f"        success: {o['success']['status']},",
            f"        items: {items},",
            f"        direction: {direction},",
            f"        scopes: &[{scopes}],",
            f"        redirect: {str(o['operationId'] in REDIRECTS).lower()},",
            f"        sends_auth: {str(o['operationId'] not in NO_AUTH).lower()},",
            "    },",
        ]
    out += ["];", ""]
    return "\n".join(out)


def rustfmt(text: str) -> str:
    import subprocess

    done = subprocess.run(
        ["rustfmt", "--edition", "2024", "--emit", "stdout"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


class SchemaEmitter:
    """Turns the request-body schemas (and what they reference) into `Schema` statics."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.named: dict[str, str] = {}  # schema name -> Rust expression
        self.pending: list[str] = []

    @staticmethod
    def static_name(name: str) -> str:
        name = name.replace("__base", "Base")
        return "S_" + re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper().replace("-", "_").replace(".", "_")

    def ref(self, name: str) -> str:
        if name not in self.named:
            self.named[name] = ""
            self.pending.append(name)
        return f"Schema::Ref(&{self.static_name(name)})"

    BASE = "__base"

    def polymorphic(self, name: str) -> bool:
        """An object that names its subtypes by discriminator mapping (subtypes `allOf` it)."""
        sch = self.spec["components"]["schemas"].get(name, {})
        return "discriminator" in sch and "oneOf" not in sch and "anyOf" not in sch

    def exclusive_keys(self, variants: list[dict[str, Any]]) -> list[list[str]] | None:
        """The property names of each `oneOf` branch when no two branches share one: then a
        body is in exactly the branch whose properties it has (`userId` | `participantId`)."""
        out: list[list[str]] = []
        seen: set[str] = set()
        for v in variants:
            target = v
            while "$ref" in target:
                target = self.spec["components"]["schemas"][target["$ref"].rsplit("/", 1)[-1]]
            names = list(target.get("properties", {}))
            if not names or "allOf" in target or seen & set(names):
                return None
            seen |= set(names)
            out.append(names)
        return out

    def node(self, sch: dict[str, Any], nullable: bool = False, in_all_of: bool = False) -> str:
        if "$ref" in sch:
            target = sch["$ref"].rsplit("/", 1)[-1]
            if in_all_of and self.polymorphic(target):
                # A subtype's `allOf` names its base: check the base's own fields only.
                target += self.BASE
            inner = self.ref(target)
            if sch.get("nullable") or nullable:
                return f"Schema::AllOf {{ nullable: true, parts: &[{inner}] }}"
            return inner
        nullable = nullable or bool(sch.get("nullable"))
        nl = "true" if nullable else "false"
        if "allOf" in sch:
            parts = [self.node(p, in_all_of=True) for p in sch["allOf"]]
            rest = {k: v for k, v in sch.items() if k in ("properties", "required")}
            if rest:
                parts.append(self.node({"type": "object", **rest}))
            # `{"allOf": [ref], "nullable": false}` overrides the nullability of the ref.
            if len(parts) == 1 and not nullable and "nullable" not in sch:
                return parts[0]
            return f"Schema::AllOf {{ nullable: {nl}, parts: &[{', '.join(parts)}] }}"
        for key in ("oneOf", "anyOf"):
            if key in sch:
                disc = sch.get("discriminator")
                variants = []
                for v in sch[key]:
                    if "$ref" in v:
                        vname = v["$ref"].rsplit("/", 1)[-1]
                    else:
                        vname = v.get("title", "anonymous")
                    variants.append((vname, self.node(v)))
                tag = "None"
                keys = self.exclusive_keys(sch[key]) if key == "oneOf" and not disc else None
                if keys:
                    items = ", ".join(
                        f"(&[{', '.join(json.dumps(k) for k in ks)}], {e})" for ks, (_, e) in zip(keys, variants)
                    )
                    return f"Schema::OneKey {{ nullable: {nl}, variants: &[{items}] }}"
                if disc:
                    tag = f"Some({json.dumps(disc['propertyName'])})"
                    mapping = {t: r.rsplit("/", 1)[-1] for t, r in disc.get("mapping", {}).items()}
                    by_schema = {v: k for k, v in mapping.items()}
                    variants = [(by_schema.get(n, n), e) for n, e in variants]
                items = ", ".join(f"({json.dumps(n)}, {e})" for n, e in variants)
                return f"Schema::OneOf {{ nullable: {nl}, tag: {tag}, variants: &[{items}] }}"
        t = sch.get("type")
        if t is None and ("properties" in sch or "required" in sch or "additionalProperties" in sch):
            t = "object"
        opt = lambda v: "None" if v is None else f"Some({v})"  # noqa: E731
        disc = sch.get("discriminator")
        if t == "object" and disc and disc.get("mapping") and not sch.get("_base"):
            base = self.node({**sch, "_base": True})
            variants = ", ".join(
                f"({json.dumps(tag)}, {self.ref(r.rsplit('/', 1)[-1])})" for tag, r in disc["mapping"].items()
            )
            tag = json.dumps(disc["propertyName"])
            return (
                f"Schema::AllOf {{ nullable: {nl}, parts: &[{base}, "
                f"Schema::OneOf {{ nullable: false, tag: Some({tag}), variants: &[{variants}] }}] }}"
            )
        if t == "string":
            enums = ", ".join(json.dumps(e) for e in sch.get("enum", []) if isinstance(e, str))
            return (
                f"Schema::Str {{ nullable: {nl}, min_len: {opt(sch.get('minLength'))}, "
                f"max_len: {opt(sch.get('maxLength'))}, one_of: &[{enums}] }}"
            )
        if t in ("integer", "number"):
            num = lambda v: None if v is None else f"{float(v)!r}"  # noqa: E731
            return (
                f"Schema::Num {{ nullable: {nl}, integer: {str(t == 'integer').lower()}, "
                f"min: {opt(num(sch.get('minimum')))}, max: {opt(num(sch.get('maximum')))} }}"
            )
        if t == "boolean":
            return f"Schema::Bool {{ nullable: {nl} }}"
        if t == "array":
            items = self.node(sch.get("items", {}))
            return (
                f"Schema::Array {{ nullable: {nl}, items: &{items}, "
                f"min_items: {opt(sch.get('minItems'))}, max_items: {opt(sch.get('maxItems'))} }}"
            )
        if t == "object":
            props = []
            for name, ps in sch.get("properties", {}).items():
                if ps.get("readOnly"):
                    continue
                props.append(f"Prop {{ name: {json.dumps(name)}, schema: {self.node(ps)} }}")
            required = [r for r in sch.get("required", []) if not sch.get("properties", {}).get(r, {}).get("readOnly")]
            extra = sch.get("additionalProperties")
            additional = "None"
            if isinstance(extra, dict) and extra:
                additional = f"Some(&{self.node(extra)})"
            return (
                f"Schema::Object {{ nullable: {nl}, props: &[{', '.join(props)}], "
                f"required: &[{', '.join(json.dumps(r) for r in required)}], additional: {additional} }}"
            )
        return "Schema::Any" if not nullable else "Schema::Any"

    def emit(self, ops: list[dict[str, Any]]) -> str:
        bodies = []
        inline: dict[str, str] = {}  # static name -> expression, for bodies given inline
        for o in ops:
            body = o["body"]
            if not body or body["contentType"] != "application/json":
                continue
            if body["schema"]:
                bodies.append((o["operationId"], self.ref(body["schema"])))
            else:
                raw = self.spec["paths"][o["path"]][o["method"].lower()]["requestBody"]
                schema = resolve(self.spec, raw)["content"]["application/json"]["schema"]
                name = self.static_name(o["operationId"] + "Body")
                inline[name] = self.node(schema)
                bodies.append((o["operationId"], f"Schema::Ref(&{name})"))
        while self.pending:
            name = self.pending.pop(0)
            if name.endswith(self.BASE):
                base = self.spec["components"]["schemas"][name.removesuffix(self.BASE)]
                self.named[name] = self.node({**base, "_base": True})
            else:
                self.named[name] = self.node(self.spec["components"]["schemas"][name])
        out = [
            "//! The request-body schemas of the API, as data the core checks bodies against.",
            "//!",
            f"//! Generated by `codegen/generate.py` from `spec/openapi.yaml` ({self.spec['info']['version']});",
            "//! run `make codegen`, do not edit.",
            "",
            "use crate::schema::{Prop, Schema};",
            "",
            "/// The schema of an operation's JSON request body, by `operationId`.",
            "pub(crate) fn request_body(operation_id: &str) -> Option<&'static Schema> {",
            "    match operation_id {",
        ]
        for op_id, expr in bodies:
            target = expr.removeprefix("Schema::Ref(&").removesuffix(")")
            out.append(f"        {json.dumps(op_id)} => Some(&{target}),")
        out += ["        _ => None,", "    }", "}", ""]
        for name in sorted(self.named):
            out.append(f"/// `{name}`.")
            out.append(f"static {self.static_name(name)}: Schema = {self.named[name]};")
            out.append("")
        for name in sorted(inline):
            out.append("/// A request body the spec gives inline.")
            out.append(f"static {name}: Schema = {inline[name]};")
            out.append("")
        return "\n".join(out)


def schemas_rs(spec: dict[str, Any]) -> str:
    return SchemaEmitter(spec).emit(operations(spec))


def table(spec: dict[str, Any]) -> str:
    ops = operations(spec)
    done = sum(1 for o in ops if all(o["names"].values()))
    rust_count = sum(1 for o in ops if o["names"]["rust"])
    lines = [
        BEGIN,
        "<!-- generated by codegen/generate.py from api.json; run `make codegen`, do not edit -->",
        (
            f"Every one of the spec's {len(ops)} operations (version {spec['info']['version']}) is callable in every"
            " binding under the name below (a typed method or function; `authorize_url` builds the browser redirect"
            " of Authorize); the generic entry (`call`) reaches each of them by operationId too."
            if done == len(ops)
            else f"{done} of the spec's {len(ops)} operations (version {spec['info']['version']}) are in every binding"
            f" so far, and {rust_count} are callable from Rust; the rest are listed with their request so the gap is plain."
        ),
        "",
        "| group | operation | request | Rust | C | Python | Node |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in ops:
        names = ["`" + n + "`" if n else "—" for n in (o["names"][lang] for lang in LANGUAGES)]
        page = " (paged)" if o["paginated"] else ""
        lines.append(f"| {o['group']} | {o['operationId']} | `{o['method']} {o['path']}`{page} | " + " | ".join(names) + " |")
    lines.append(END)
    return "\n".join(lines)


def readme(current: str, spec: dict[str, Any]) -> str:
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    if not pattern.search(current):
        raise SystemExit(f"README.md has no {BEGIN} ... {END} block")
    return pattern.sub(lambda _: table(spec), current, count=1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if a committed output is stale")
    ap.add_argument(
        "--only",
        choices=sorted(SURFACES),
        help="write only this binding's generated files (skip the other bindings' generators)",
    )
    args = ap.parse_args()
    if args.only:
        ONLY.intersection_update({args.only})
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    outputs = {} if args.only else {
        RUST_OUT: rustfmt(rust(spec)),
        SCHEMAS_OUT: rustfmt(schemas_rs(spec)),
        ROOT / "api.json": manifest(spec),
        ROOT / "README.md": readme((ROOT / "README.md").read_text(encoding="utf-8"), spec),
    }
    owned = [] if args.only else [ROOT / "core" / "src" / "types"]
    for path, text in ({} if args.only else rust_types.outputs(spec, operations(spec), ROOT)).items():
        outputs[path] = rustfmt(text)
    for module in surface_modules().values():
        for path, text in module.outputs(spec, operations(spec), ROOT).items():
            outputs[path] = rustfmt(text) if path.suffix == ".rs" else text
        owned += getattr(module, "owned_dirs", lambda _root: [])(ROOT)
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    leftover = [p for d in owned if d.exists() for p in sorted(d.iterdir()) if p.is_file() and p not in outputs]
    if args.check:
        for p in stale:
            print(f"{p.relative_to(ROOT)} is stale: run `make codegen` and commit it", file=sys.stderr)
        for p in leftover:
            print(f"{p.relative_to(ROOT)} is no longer generated: run `make codegen`", file=sys.stderr)
        return 1 if stale or leftover else 0
    for p in leftover:
        p.unlink()
        print(f"removed {p.relative_to(ROOT)}")
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(outputs[p], encoding="utf-8")
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
