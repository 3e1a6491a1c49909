"""The C surface of libconversations, generated from the spec (run by codegen/generate.py).

Writes:
  ffi-c/src/generated.rs       one `extern "C"` function per operation, named after the path
                               (`sunco_messages_post(client, app_id, conversation_id, body_json,
                               &out_json, &err)`), and a page iterator per cursor-paginated list
                               (`sunco_messages_list_iter`); each is one call of the hand-written
                               generic entry (`operations::invoke` / `operations::iter`) with its
                               operationId. cbindgen copies their doc comments into the header.
  tests/c/operations_table.c   the C tests' table of every generated function: which operation,
                               which path arguments, whether it takes a query and a body, and a
                               dispatcher that calls it (so every vector runs through its C name).

The six Conversations functions (`sunco_conversations_*`), the upload functions and
`sunco_authorize_url` are hand-written in ffi-c/src/; `names` lists them too.
"""

# ruff: noqa: E501 (the doc text and C templates read best unwrapped)
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import rust_types

# The C noun of each group: the Rust handle's name, except where C needs the owner spelled out
# (`keys` of an app, beside the keys of an integration).
NOUNS = {"keys": "app_keys"}
# Hand-written in ffi-c/src/conversations.rs (the first six functions of the library), the
# upload functions (ffi-c/src/attachments.rs) and the OAuth redirect URL (operations.rs).
HAND_WRITTEN = {
    "ListConversations",
    "CreateConversation",
    "GetConversation",
    "UpdateConversation",
    "DeleteConversation",
    "DownloadMessageRef",
    "UploadAttachment",
    "Authorize",
}
SPECIAL = {"Authorize": "sunco_authorize_url", "UploadAttachment": "sunco_attachments_upload"}


def c_name(op: dict[str, Any]) -> str:
    """`sunco_<noun>_<verb>`: the group's handle and the operation's method, as in Rust."""
    op_id = op["operationId"]
    if op_id in SPECIAL:
        return SPECIAL[op_id]
    _, handle, _ = rust_types.HANDLES[op["group"]]
    return f"sunco_{NOUNS.get(handle, handle)}_{rust_types.METHODS[op_id]}"


def names(ops: list[dict[str, Any]]) -> dict[str, str]:
    """The C function of every operation."""
    return {op["operationId"]: c_name(op) for op in ops}


def generated(op: dict[str, Any]) -> bool:
    return op["operationId"] not in HAND_WRITTEN


def param(wire: str) -> str:
    return rust_types.snake(wire)


_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def description(spec: dict[str, Any], op: dict[str, Any]) -> list[str]:
    """The operation's description from the spec, as doc lines (HTML tags dropped: the header
    is read as text)."""
    raw = spec["paths"][op["path"]][op["method"].lower()]
    text = _TAG.sub("", raw.get("description") or "")
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return rust_types.doc_text(text)


def query_doc(op: dict[str, Any]) -> str:
    parts = []
    for q in op["query"]:
        if q.get("style") == "deepObject":
            keys = ", ".join(f'"{k["name"]}"' for k in q["keys"])
            parts.append(f"`{q['name']}` (an object of {keys})")
        else:
            parts.append(f"`{q['name']}`" + (" (required)" if q["required"] else ""))
    return ", ".join(parts)


def doc_block(spec: dict[str, Any], op: dict[str, Any], iterator: bool = False) -> list[str]:
    summary = op["summary"] or op["operationId"]
    lines = [f"{summary}: `{op['method']} {op['path']}` (`{op['operationId']}`)."]
    if iterator:
        lines[0] = (
            f"Makes an iterator over every page of {summary}: `{op['method']} {op['path']}` "
            f"(`{op['operationId']}`). No request is sent yet, but the arguments are checked now."
        )
    else:
        body = description(spec, op)
        if body:
            lines += ["", *body]
    lines.append("")
    args = []
    if op["pathParams"]:
        listed = ", ".join(f"`{param(p)}`" for p in op["pathParams"])
        args.append(
            f"{listed}: the path's "
            + ", ".join(f"`{{{p}}}`" for p in op["pathParams"])
            + ", each sent as one percent-encoded segment (NULL is `SUNCO_INVALID_ARGUMENT` naming the parameter)."
        )
    if op["query"]:
        args.append(
            f"`query_json`: a JSON object of the query parameters {query_doc(op)}, e.g. "
            + ('`{"page":{"size":50}}`' if op["paginated"] else "`{}`")
            + ", or NULL for none."
        )
    if op["body"] and not iterator:
        schema = op["body"]["schema"]
        what = f"schema `{schema}`" if schema else "as the spec gives it"
        need = (
            "required: NULL is `SUNCO_VALIDATION` naming `body`"
            if op["body"]["required"]
            else "optional: NULL for none"
        )
        args.append(f"`body_json`: the JSON request body in wire form ({what}; {need}).")
    lines += args
    if iterator:
        lines += [
            f"`query.page.after` / `query.page.before` give the starting point and `query.page.size` the size of every page; "
            f"the walk goes as for `sunco_operation_iter_new` ({op['direction']} without a cursor). Each "
            f'`sunco_operation_iter_next` gives one page as sent; the records are in its `"{op["items"]}"` array.',
            "Statuses: as for `sunco_operation_iter_new`.",
            "Ownership: the caller owns `*out` (free with `sunco_operation_iter_free`); the inputs are only read.",
            "Threads: any thread.",
            "",
            "# Safety",
            "`client` is NULL or a live client; the string arguments are NULL or NUL-terminated strings; `out` and",
            "`err` are NULL or valid for writes.",
        ]
    else:
        paged = " For every page use `" + c_name(op) + "_iter`." if op["paginated"] else ""
        lines += [
            "On success `*out_json` is the response body exactly as the server sent it (key order, `null`s and unknown "
            f"fields kept), or `{{}}` when the answer has no body.{paged}",
            "Statuses: as for `sunco_call` with the operation fixed: `SUNCO_INVALID_ARGUMENT` (NULL, non-UTF-8 or unparsable "
            "JSON arguments, naming the parameter), `SUNCO_VALIDATION` (refused before sending, naming the field in wire "
            "spelling), then the API and transport statuses.",
            "Ownership: the caller frees `*out_json` with `sunco_string_free`; the inputs are only read.",
            "Threads: any thread; blocks it until done. Not from inside a tokio runtime.",
            "",
            "# Safety",
            "`client` is NULL or a live client; the string arguments are NULL or NUL-terminated strings; `out_json` and",
            "`err` are NULL or valid for writes.",
        ]
    return ["/// " + line if line else "///" for line in lines]


def path_args(op: dict[str, Any]) -> str:
    items = ", ".join(f'("{p}", "{param(p)}", {param(p)})' for p in op["pathParams"])
    return f"&[{items}]"


def function(spec: dict[str, Any], op: dict[str, Any]) -> list[str]:
    params = ["client: *const sunco_client"] + [
        f"{param(p)}: *const c_char" for p in op["pathParams"]
    ]
    query = "None"
    body = "None"
    if op["query"]:
        params.append("query_json: *const c_char")
        query = "Some(query_json)"
    if op["body"]:
        params.append("body_json: *const c_char")
        body = "Some(body_json)"
    params += ["out_json: *mut *mut c_char", "err: *mut *mut sunco_error"]
    out = doc_block(spec, op)
    out += [
        "#[unsafe(no_mangle)]",
        f'pub unsafe extern "C" fn {c_name(op)}({", ".join(params)}) -> sunco_status {{',
        f'    operations::invoke(client, "{op["operationId"]}", {path_args(op)}, {query}, {body}, out_json, err)',
        "}",
        "",
    ]
    return out


def iterator(spec: dict[str, Any], op: dict[str, Any]) -> list[str]:
    params = ["client: *const sunco_client"] + [
        f"{param(p)}: *const c_char" for p in op["pathParams"]
    ]
    params += [
        "query_json: *const c_char",
        "out: *mut *mut sunco_operation_iter",
        "err: *mut *mut sunco_error",
    ]
    out = doc_block(spec, op, iterator=True)
    out += [
        "#[unsafe(no_mangle)]",
        f'pub unsafe extern "C" fn {c_name(op)}_iter({", ".join(params)}) -> sunco_status {{',
        f'    operations::iter(client, "{op["operationId"]}", {path_args(op)}, query_json, out, err)',
        "}",
        "",
    ]
    return out


def rust(spec: dict[str, Any], ops: list[dict[str, Any]]) -> str:
    version = spec["info"]["version"]
    made = [o for o in ops if generated(o)]
    iters = [o for o in ops if o["paginated"]]
    out = [
        f"//! One C function per operation of the API ({len(made)} here; the six Conversations",
        "//! functions, the uploads and `sunco_authorize_url` are hand-written beside them), and a page",
        f"//! iterator for each of the {len(iters)} cursor-paginated lists.",
        "//!",
        f"//! Generated by `codegen/c_surface.py` from `spec/openapi.yaml` ({version}); run `make codegen`,",
        "//! do not edit. Each function is one call of the generic entry (`operations.rs`) with its",
        "//! operationId: the core checks the arguments against the operation's descriptor.",
        "",
        "use std::ffi::c_char;",
        "",
        "use crate::client::sunco_client;",
        "use crate::error::sunco_error;",
        "use crate::operations::{self, sunco_operation_iter};",
        "use crate::status::sunco_status;",
        "",
    ]
    for op in ops:
        if generated(op):
            out += function(spec, op)
        if op["paginated"]:
            out += iterator(spec, op)
    return "\n".join(out)


def c_string(text: str) -> str:
    return json.dumps(text)


def table(spec: dict[str, Any], ops: list[dict[str, Any]]) -> str:
    """The C tests' table and dispatcher of every generated function."""
    version = spec["info"]["version"]
    made = [
        o
        for o in ops
        if generated(o) or o["operationId"] in HAND_WRITTEN - {"UploadAttachment", "Authorize"}
    ]
    out = [
        f"/* Generated by codegen/c_surface.py from spec/openapi.yaml ({version}); run `make codegen`, do not edit.",
        " * Every per-operation C function of libconversations, for the C tests (operations_table.h). */",
        "#include <string.h>",
        "",
        '#include "operations_table.h"',
        "",
        "const c_operation c_operations[] = {",
    ]
    for o in ops:
        paths = ", ".join(c_string(p) for p in o["pathParams"])
        c_params = ", ".join(c_string(param(p)) for p in o["pathParams"])
        kind = "C_OP_CALL"
        if o["operationId"] == "Authorize":
            kind = "C_OP_URL"
        elif o["operationId"] == "UploadAttachment":
            kind = "C_OP_UPLOAD"
        elif o["operationId"] == "DeleteConversation":
            kind = "C_OP_NO_RESULT"
        elif o["operationId"] in ("ListConversations",):
            kind = "C_OP_PARAMS"
        out.append(
            f"    {{{c_string(o['operationId'])}, {c_string(c_name(o))}, {kind}, {len(o['pathParams'])}, "
            f"{{{paths or 'NULL'}}}, {{{c_params or 'NULL'}}}, {int(bool(o['query']))}, {int(bool(o['body']))}, "
            f"{int(o['paginated'])}, {int(o['operationId'] in HAND_WRITTEN)}}},"
        )
    out += [
        "};",
        f"const size_t c_operation_count = {len(ops)};",
        "",
        "int c_operation_call(const sunco_client *client, const char *operation_id, const char *const *path,",
        "                     const char *query_json, const char *body_json, char **out_json, sunco_error **err,",
        "                     sunco_status *status) {",
    ]
    for o in made:
        args = ["client"] + [f"path[{i}]" for i in range(len(o["pathParams"]))]
        oid = o["operationId"]
        if oid == "ListConversations":
            args.append("query_json")
        else:
            if o["query"]:
                args.append("query_json")
            if o["body"]:
                args.append("body_json")
        if oid != "DeleteConversation":
            args.append("out_json")
        args.append("err")
        out += [
            f"    if (strcmp(operation_id, {c_string(oid)}) == 0) {{",
            f"        *status = {c_name(o)}({', '.join(args)});",
            "        return 1;",
            "    }",
        ]
    out += ["    return 0;", "}", ""]
    out += [
        "int c_operation_iter(const sunco_client *client, const char *operation_id, const char *const *path,",
        "                     const char *query_json, sunco_operation_iter **out, sunco_error **err, sunco_status *status) {",
    ]
    for o in ops:
        if not o["paginated"]:
            continue
        args = (
            ["client"]
            + [f"path[{i}]" for i in range(len(o["pathParams"]))]
            + ["query_json", "out", "err"]
        )
        out += [
            f"    if (strcmp(operation_id, {c_string(o['operationId'])}) == 0) {{",
            f"        *status = {c_name(o)}_iter({', '.join(args)});",
            "        return 1;",
            "    }",
        ]
    out += ["    return 0;", "}", ""]
    return "\n".join(out)


def outputs(spec: dict[str, Any], ops: list[dict[str, Any]], root: Path) -> dict[Path, str]:
    return {
        root / "ffi-c" / "src" / "generated.rs": rust(spec, ops),
        root / "tests" / "c" / "operations_table.c": table(spec, ops),
    }
