/* Runs every shared vector in every tests/vectors/NAME.json through libconversations (see
 * tests/vectors/README.md): reset the emulator, do the setup, clear the log, make the call
 * through the C API, then compare the one logged request and the result with the case.
 * Then every case of tests/vectors/operations/NAME.json through the generic entry, sunco_call,
 * exactly as core/tests/vectors.rs `every_operation_vector` runs them (`expect.ok` is a
 * recursive subset of the whole response body there).
 * Usage: test_vectors [VECTORS_DIR]   (run under scripts/with-emulator.sh) */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "conversations.h"
#include "emu.h"
#include "json.h"
#include "operations_table.h"

int check_failures = 0;
int check_count = 0;

static int case_failures = 0;
static const char *case_name = "";

static void fail(const char *what, const char *expected, const char *got) {
    fprintf(stderr, "FAIL %s: %s\n  expected: %s\n  got:      %s\n", case_name, what, expected ? expected : "(none)",
            got ? got : "(none)");
    case_failures++;
}

/* A malloc'd copy of `s` with every `from` replaced by `to`. */
static char *replace_all(const char *s, const char *from, const char *to) {
    size_t n = 0, from_len = strlen(from), to_len = strlen(to);
    const char *p;
    char *out, *w;
    for (p = strstr(s, from); p; p = strstr(p + from_len, from)) n++;
    out = malloc(strlen(s) + n * to_len + 1);
    for (w = out, p = s; *p;) {
        if (strncmp(p, from, from_len) == 0) {
            memcpy(w, to, to_len);
            w += to_len;
            p += from_len;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    return out;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes an application/x-www-form-urlencoded component of `len` bytes (malloc'd). */
static char *form_decode(const char *s, size_t len) {
    char *out = malloc(len + 1), *w = out;
    size_t i;
    for (i = 0; i < len; i++) {
        if (s[i] == '+') {
            *w++ = ' ';
        } else if (s[i] == '%' && i + 2 < len && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            *w++ = (char)(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            *w++ = s[i];
        }
    }
    *w = '\0';
    return out;
}

/* Compares a raw query with the expected [[key, value], ...], pair by pair, in order. */
static int query_matches(const char *raw, const json_value *expected) {
    size_t index = 0;
    const char *p = raw ? raw : "";
    while (*p) {
        const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p), *eq;
        const json_value *pair;
        char *key, *value;
        int same;
        if (end == p) { /* empty pieces are skipped, as form decoding does */
            p = amp ? amp + 1 : end;
            continue;
        }
        for (eq = p; eq < end && *eq != '='; eq++) {
        }
        key = form_decode(p, (size_t)(eq - p));
        value = eq < end ? form_decode(eq + 1, (size_t)(end - eq - 1)) : form_decode("", 0);
        pair = json_at(expected, index++);
        same = pair && json_string(json_at(pair, 0)) && json_string(json_at(pair, 1)) &&
               strcmp(json_string(json_at(pair, 0)), key) == 0 && strcmp(json_string(json_at(pair, 1)), value) == 0;
        free(key);
        free(value);
        if (!same) return 0;
        p = amp ? amp + 1 : end;
    }
    return expected && expected->type == JSON_ARRAY && index == expected->count;
}

static void check_request(const json_value *expected) {
    json_value *doc = emu_log();
    const json_value *log = json_get(doc, "requests"), *got;
    if (!expected || expected->type == JSON_NULL) {
        if (log->count != 0) fail("nothing may be sent", "no request", json_string(json_get(json_at(log, 0), "path")));
        json_free(doc);
        return;
    }
    if (log->count != 1) {
        char n[32];
        snprintf(n, sizeof n, "%lu requests", (unsigned long)log->count);
        fail("exactly one request", "1 request", n);
        json_free(doc);
        return;
    }
    got = json_at(log, 0);
    if (!json_equal(json_get(got, "method"), json_get(expected, "method")))
        fail("method", json_string(json_get(expected, "method")), json_string(json_get(got, "method")));
    if (!json_equal(json_get(got, "path"), json_get(expected, "path")))
        fail("raw path", json_string(json_get(expected, "path")), json_string(json_get(got, "path")));
    if (!query_matches(json_string(json_get(got, "query")), json_get(expected, "query"))) {
        char *want = json_raw_dup(json_get(expected, "query"));
        fail("query", want, json_string(json_get(got, "query")));
        free(want);
    }
    {
        const char *body = json_string(json_get(got, "body"));
        json_value *sent = body && body[0] ? json_parse_str(body) : json_parse_str("null");
        if (!sent || !json_equal(sent, json_get(expected, "body"))) {
            char *want = json_raw_dup(json_get(expected, "body"));
            fail("body", want, body);
            free(want);
        }
        json_free(sent);
    }
    json_free(doc);
}

/* Whether `expected` is a recursive subset of `got`: objects by key, arrays of the same length
 * element by element, everything else equal. */
static int deep_subset(const json_value *expected, const json_value *got) {
    size_t i;
    static const json_value null_value = {JSON_NULL, 0, 0, NULL, 0, 0, NULL, NULL, NULL, 0, NULL};
    if (!got) got = &null_value;
    if (expected->type == JSON_ARRAY && got->type == JSON_ARRAY && expected->count == got->count) {
        for (i = 0; i < expected->count; i++) {
            if (!deep_subset(expected->items[i], got->items[i])) return 0;
        }
        return 1;
    }
    if (expected->type != JSON_OBJECT) return json_equal(expected, got);
    if (got->type != JSON_OBJECT) return 0;
    for (i = 0; i < expected->count; i++) {
        if (!deep_subset(expected->items[i], json_get(got, expected->keys[i]))) return 0;
    }
    return 1;
}

/* `recursive`: `expect.ok` is a recursive subset of the result (operations/), else a subset of
 * its top-level fields. */
static void check_result(const json_value *expect, sunco_status status, const char *out, const sunco_error *err,
                         int recursive) {
    const char *kind = json_string(json_get(expect, "error"));
    char got_desc[512];
    snprintf(got_desc, sizeof got_desc, "%s (http %u, code %s, field %s) %s", sunco_status_name(status),
             (unsigned)sunco_error_http_status(err), sunco_error_code(err) ? sunco_error_code(err) : "NULL",
             sunco_error_field(err) ? sunco_error_field(err) : "NULL",
             sunco_error_message(err) ? sunco_error_message(err) : (out ? out : ""));
    if (!kind) {
        const json_value *ok = json_get(expect, "ok"), *absent = json_get(expect, "absent");
        json_value *got;
        size_t i;
        if (status != SUNCO_OK) {
            fail("a success", "SUNCO_OK", got_desc);
            return;
        }
        if (ok && ok->type == JSON_BOOL && ok->boolean && !absent) return; /* `{"ok": true}`: success is all */
        got = json_parse_str(out ? out : "");
        if (!got) {
            fail("a JSON result", "JSON", out);
            return;
        }
        if (ok && ok->type == JSON_OBJECT && recursive) {
            if (got->type != JSON_OBJECT) fail("an object result", "an object", out);
            for (i = 0; i < ok->count; i++) {
                if (!deep_subset(ok->items[i], json_get(got, ok->keys[i]))) {
                    char *want = json_raw_dup(ok->items[i]);
                    fail(ok->keys[i], want, out);
                    free(want);
                }
            }
        } else if (ok && ok->type == JSON_OBJECT) {
            for (i = 0; i < ok->count; i++) {
                if (!json_equal(json_get(got, ok->keys[i]), ok->items[i])) {
                    char *want = json_raw_dup(ok->items[i]);
                    fail(ok->keys[i], want, out);
                    free(want);
                }
            }
        } else if (!(ok && ok->type == JSON_BOOL && ok->boolean)) {
            fail("a known expectation", "an object or true", "something else");
        }
        for (i = 0; absent && i < absent->count; i++) {
            if (json_get(got, json_string(absent->items[i]))) fail("absent key", json_string(absent->items[i]), out);
        }
        json_free(got);
    } else if (strcmp(kind, "validation") == 0) {
        const char *field = json_string(json_get(expect, "field"));
        const char *got_field = sunco_error_field(err);
        if (status != SUNCO_VALIDATION || !got_field || !field || strcmp(got_field, field) != 0) {
            char want[256];
            snprintf(want, sizeof want, "SUNCO_VALIDATION of field %s", field ? field : "?");
            fail("a validation error", want, got_desc);
        }
    } else if (strcmp(kind, "api") == 0) {
        int http = (int)json_get(expect, "status")->number;
        const char *code = json_string(json_get(expect, "code"));
        sunco_status want_status = http == 404 ? SUNCO_NOT_FOUND : http == 429 ? SUNCO_RATE_LIMITED : SUNCO_API_ERROR;
        if (status != want_status || sunco_error_http_status(err) != http || !sunco_error_code(err) || !code ||
            strcmp(sunco_error_code(err), code) != 0) {
            char want[256];
            snprintf(want, sizeof want, "%s (http %d, code %s)", sunco_status_name(want_status), http, code ? code : "?");
            fail("an API error", want, got_desc);
        }
    } else {
        fail("a known expectation", "validation or api", kind);
    }
}

/* The raw JSON text of member `key`, or `fallback` if absent (malloc'd). */
static char *member_text(const json_value *v, const char *key, const char *fallback) {
    const json_value *m = json_get(v, key);
    return m ? json_raw_dup(m) : strdup(fallback);
}

static void run_case(const sunco_client *client, const char *file, const json_value *original) {
    char *raw = json_raw_dup(original), *name, *body, *params, *out = NULL;
    const char *op, *app_id, *conv_id;
    const json_value *setup = json_get(json_get(original, "setup"), "conversation");
    json_value *c;
    sunco_error *err = NULL;
    sunco_status status;
    size_t name_len;

    emu_reset();
    if (setup) {
        char *setup_body = json_raw_dup(setup), *made = NULL, *next;
        json_value *conv;
        status = sunco_conversations_create(client, "demo-app", setup_body, &made, &err);
        CHECK_OK(status, err);
        conv = json_parse_str(made ? made : "{}");
        next = replace_all(raw, "${conversationId}", json_string(json_get(conv, "id")) ? json_string(json_get(conv, "id")) : "?");
        free(raw);
        raw = next;
        json_free(conv);
        sunco_string_free(made);
        sunco_error_free(err);
        free(setup_body);
    }
    if (strstr(raw, "${aliceId}")) {
        char *alice = emu_user_id("alice"), *next = replace_all(raw, "${aliceId}", alice);
        free(raw);
        free(alice);
        raw = next;
    }
    c = json_parse_str(raw);
    name_len = strlen(file) + strlen(json_string(json_get(c, "name")) ? json_string(json_get(c, "name")) : "") + 3;
    name = malloc(name_len);
    snprintf(name, name_len, "%s: %s", file, json_string(json_get(c, "name")) ? json_string(json_get(c, "name")) : "");
    case_name = name;

    op = json_string(json_get(c, "op"));
    app_id = json_string(json_get(c, "appId")) ? json_string(json_get(c, "appId")) : "";
    conv_id = json_string(json_get(c, "conversationId")) ? json_string(json_get(c, "conversationId")) : "";
    body = member_text(c, "body", "null");
    params = member_text(c, "params", "{}");

    emu_clear_log();
    if (!op) {
        status = SUNCO_INTERNAL;
        fail("an op", "an op", "none");
    } else if (strcmp(op, "create") == 0) {
        status = sunco_conversations_create(client, app_id, body, &out, &err);
    } else if (strcmp(op, "get") == 0) {
        status = sunco_conversations_get(client, app_id, conv_id, &out, &err);
    } else if (strcmp(op, "list") == 0) {
        status = sunco_conversations_list(client, app_id, params, &out, &err);
    } else if (strcmp(op, "update") == 0) {
        status = sunco_conversations_update(client, app_id, conv_id, body, &out, &err);
    } else if (strcmp(op, "delete") == 0) {
        status = sunco_conversations_delete(client, app_id, conv_id, &err);
    } else if (strcmp(op, "download_message_ref") == 0) {
        status = sunco_conversations_download_message_ref(client, app_id, conv_id, body, &out, &err);
    } else {
        status = SUNCO_INTERNAL;
        fail("a known op", "create|get|list|update|delete|download_message_ref", op);
    }
    /* The out-parameter is written only on success, the error only on failure. */
    if ((status == SUNCO_OK) != (err == NULL)) fail("error object iff failure", "consistent", sunco_status_name(status));
    if (status != SUNCO_OK && out != NULL) fail("no result on failure", "NULL", out);

    check_request(json_get(c, "request"));
    check_result(json_get(c, "expect"), status, out, err, 0);

    sunco_string_free(out);
    sunco_error_free(err);
    free(body);
    free(params);
    free(name);
    case_name = "";
    json_free(c);
    free(raw);
}

/* A client with the credentials of a case's or step's `auth` (`{"keyId", "keySecret"}` or
 * `{"token"}`), no retries; NULL without one (the demo key's client is used). Free with
 * sunco_client_free. */
static sunco_client *client_for(const json_value *auth) {
    sunco_options *o;
    sunco_client *c = NULL;
    sunco_error *err = NULL;
    if (!auth || auth->type != JSON_OBJECT) return NULL;
    o = sunco_options_new();
    CHECK_OK(sunco_options_set_base_url(o, emu_base_url(), &err), err);
    if (json_string(json_get(auth, "token"))) {
        CHECK_OK(sunco_options_set_bearer_token(o, json_string(json_get(auth, "token")), &err), err);
    } else {
        CHECK_OK(sunco_options_set_basic_auth(o, json_string(json_get(auth, "keyId")),
                                              json_string(json_get(auth, "keySecret")), &err),
                 err);
    }
    CHECK_OK(sunco_options_set_max_retries(o, 0, &err), err);
    CHECK_OK(sunco_client_new(o, &c, &err), err);
    sunco_error_free(err);
    sunco_options_free(o);
    return c;
}

/* The value at a dotted path (`integration.webhooks.0.id`: digits index arrays), or NULL. */
static const json_value *json_path(const json_value *v, const char *path) {
    char key[256];
    const char *p = path ? path : "";
    while (v && *p) {
        size_t n = strcspn(p, ".");
        if (n >= sizeof key) return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        v = v->type == JSON_ARRAY ? json_at(v, strtoul(key, NULL, 10)) : json_get(v, key);
        p += n;
        if (*p == '.') p++;
    }
    return v;
}

#define BOUNDARY "sunco-vector-boundary"

/* The multipart/form-data body of an `upload` step: one part, `source`, holding `text` as a file
 * named `fileName` of type `contentType` (malloc'd). */
static char *multipart(const json_value *upload) {
    const char *name = json_string(json_get(upload, "fileName")), *type = json_string(json_get(upload, "contentType")),
               *text = json_string(json_get(upload, "text"));
    size_t len;
    char *form;
    name = name ? name : "";
    type = type ? type : "";
    text = text ? text : "";
    len = strlen(name) + strlen(type) + strlen(text) + 256;
    form = malloc(len);
    snprintf(form, len,
             "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"source\"; filename=\"%s\"\r\n"
             "Content-Type: %s\r\n\r\n%s\r\n--" BOUNDARY "--\r\n",
             name, type, text);
    return form;
}

/* Runs `setup.steps` in order (an operation through sunco_call, a request to an emulator
 * control, or a multipart upload with the demo key); each step's `save` fills `${name}` in the
 * rest of the case with the string at a dotted path of its result. Takes and returns the case's
 * raw text (malloc'd). */
static char *run_steps(const sunco_client *client, char *raw) {
    json_value *doc = json_parse_str(raw);
    const json_value *steps = json_get(json_get(doc, "setup"), "steps");
    size_t count = steps ? steps->count : 0, i, j;
    json_free(doc);
    for (i = 0; i < count; i++) {
        const json_value *step, *control, *upload, *save;
        json_value *result = NULL;
        doc = json_parse_str(raw);
        step = json_at(json_get(json_get(doc, "setup"), "steps"), i);
        control = json_get(step, "emulator");
        upload = json_get(step, "upload");
        save = json_get(step, "save");
        if (upload) {
            emu_response r;
            char *form = multipart(upload);
            int sent = emu_request_as("POST", json_string(json_get(upload, "path")),
                                      "multipart/form-data; boundary=" BOUNDARY, form, strlen(form), 1, &r);
            if (sent != 0 || r.status / 100 != 2) fail("a setup upload", "a 2xx answer", r.body);
            result = json_parse_str(r.body ? r.body : "null");
            free(r.body);
            free(form);
        } else if (control) {
            emu_response r;
            char *body = json_get(control, "body") ? json_raw_dup(json_get(control, "body")) : NULL;
            int sent = emu_request(json_string(json_get(control, "method")), json_string(json_get(control, "path")),
                                   body, 0, &r);
            if (sent != 0 || r.status / 100 != 2) fail("a setup step", "a 2xx control answer", r.body);
            result = json_parse_str(r.body ? r.body : "null");
            free(r.body);
            free(body);
        } else {
            sunco_client *own = client_for(json_get(step, "auth"));
            char *args = member_text(step, "args", "{}"), *out = NULL;
            sunco_error *err = NULL;
            const char *op = json_string(json_get(step, "operationId"));
            if (sunco_call(own ? own : client, op ? op : "", args, &out, &err) != SUNCO_OK)
                fail("a setup step", op, sunco_error_message(err));
            result = json_parse_str(out ? out : "null");
            sunco_string_free(out);
            sunco_error_free(err);
            sunco_client_free(own);
            free(args);
        }
        for (j = 0; save && j < save->count; j++) {
            const char *value = json_string(json_path(result, json_string(save->items[j])));
            size_t len = strlen(save->keys[j]) + 4;
            char *placeholder = malloc(len), *next;
            snprintf(placeholder, len, "${%s}", save->keys[j]);
            if (!value) {
                fail("a string to save", json_string(save->items[j]), "none");
            } else {
                next = replace_all(raw, placeholder, value);
                free(raw);
                raw = next;
            }
            free(placeholder);
        }
        json_free(result);
        json_free(doc);
    }
    return raw;
}

/* The case's raw text with its placeholders filled: `${conversationId}` by the conversation its
 * setup creates (through sunco_conversations_create, as the core's runner does with its typed
 * create), `${aliceId}` by the seed user's id, then those its `setup.steps` save. Resets the
 * emulator first. malloc'd. */
static char *prepared(const sunco_client *client, const json_value *original) {
    char *raw = json_raw_dup(original);
    const json_value *setup = json_get(json_get(original, "setup"), "conversation");
    emu_reset();
    if (setup) {
        char *setup_body = json_raw_dup(setup), *made = NULL, *next;
        sunco_error *err = NULL;
        json_value *conv;
        CHECK_OK(sunco_conversations_create(client, "demo-app", setup_body, &made, &err), err);
        conv = json_parse_str(made ? made : "{}");
        next = replace_all(raw, "${conversationId}", json_string(json_get(conv, "id")) ? json_string(json_get(conv, "id")) : "?");
        free(raw);
        raw = next;
        json_free(conv);
        sunco_string_free(made);
        sunco_error_free(err);
        free(setup_body);
    }
    if (strstr(raw, "${aliceId}")) {
        char *alice = emu_user_id("alice"), *next = replace_all(raw, "${aliceId}", alice);
        free(raw);
        free(alice);
        raw = next;
    }
    return run_steps(client, raw);
}

/* One case of operations/: `operationId` and `args` through sunco_call. */
static void run_operation_case(const sunco_client *client, const char *file, const json_value *original) {
    const char *title = json_string(json_get(original, "name")), *op;
    size_t name_len = strlen(file) + strlen(title ? title : "") + 14;
    char *name = malloc(name_len), *raw, *args, *out = NULL;
    json_value *c;
    sunco_client *own;
    sunco_error *err = NULL;
    sunco_status status;

    /* Named before the setup, so that a failing setup step names its case. */
    snprintf(name, name_len, "operations/%s: %s", file, title ? title : "");
    case_name = name;
    raw = prepared(client, original);
    c = json_parse_str(raw);
    op = json_string(json_get(c, "operationId"));
    args = member_text(c, "args", "{}");

    own = client_for(json_get(c, "auth"));
    emu_clear_log();
    status = sunco_call(own ? own : client, op ? op : "", args, &out, &err);
    sunco_client_free(own);
    if ((status == SUNCO_OK) != (err == NULL)) fail("error object iff failure", "consistent", sunco_status_name(status));
    if ((status == SUNCO_OK) != (out != NULL)) fail("a result iff success", "consistent", out ? out : "NULL");

    check_request(json_get(c, "request"));
    check_result(json_get(c, "expect"), status, out, err, 1);

    sunco_string_free(out);
    sunco_error_free(err);
    free(args);
    free(name);
    case_name = "";
    json_free(c);
    free(raw);
}

static const c_operation *c_operation_named(const char *operation_id) {
    size_t i;
    for (i = 0; operation_id && i < c_operation_count; i++) {
        if (strcmp(c_operations[i].operation_id, operation_id) == 0) return &c_operations[i];
    }
    return NULL;
}

static size_t typed_runs = 0, typed_skipped = 0;
static int typed_seen[128];

/* Whether a case's `args` can be said with the operation's C function: an object whose `path`
 * holds only the operation's path parameters (as strings), with a query or body only where the
 * function takes one. (An unknown operation, a path key of another operation or a body sent to an
 * operation without one are refusals of the generic entry, which C's types rule out.) */
static int expressible(const c_operation *op, const json_value *args) {
    const json_value *path = json_get(args, "path");
    size_t i, j;
    if (!args || args->type != JSON_OBJECT) return 0;
    for (i = 0; i < args->count; i++) {
        const char *k = args->keys[i];
        if (strcmp(k, "path") != 0 && strcmp(k, "query") != 0 && strcmp(k, "body") != 0) return 0;
    }
    if (json_get(args, "query") && !op->has_query) return 0;
    if (json_get(args, "body") && !op->has_body) return 0;
    if (path && path->type != JSON_OBJECT) return 0;
    for (i = 0; path && i < path->count; i++) {
        int known = 0;
        for (j = 0; j < op->path_count; j++) known |= strcmp(path->keys[i], op->path[j]) == 0;
        if (!known || path->items[i]->type != JSON_STRING) return 0;
    }
    if (op->kind == C_OP_PARAMS && json_get(args, "body")) return 0;
    return 1;
}

/* One case of operations/ through the operation's own C function (the manifest's C name):
 * the same request and result as through sunco_call; a missing path argument is a NULL pointer
 * there, refused as SUNCO_INVALID_ARGUMENT naming the C parameter, with nothing sent. */
static void run_operation_case_typed(const sunco_client *client, const char *file, const json_value *original) {
    const char *title = json_string(json_get(original, "name"));
    const c_operation *op = c_operation_named(json_string(json_get(original, "operationId")));
    const json_value *args, *path;
    const char *values[3] = {NULL, NULL, NULL}, *want_param = NULL;
    char *name, *raw, *query = NULL, *body = NULL, *out = NULL;
    size_t name_len, i;
    json_value *c;
    sunco_client *own;
    sunco_error *err = NULL;
    sunco_status status = SUNCO_INTERNAL;

    if (!op || op->kind == C_OP_URL || op->kind == C_OP_UPLOAD || !expressible(op, json_get(original, "args"))) {
        typed_skipped++;
        return;
    }
    /* SUNCO_VECTORS_TYPED=one (the valgrind run): one case per function is enough to check its
     * memory handling; the native run takes every case. */
    if (typed_seen[op - c_operations] && getenv("SUNCO_VECTORS_TYPED") && strcmp(getenv("SUNCO_VECTORS_TYPED"), "one") == 0) {
        typed_skipped++;
        return;
    }
    name_len = strlen(file) + strlen(title ? title : "") + strlen(op->c_name) + 20;
    name = malloc(name_len);
    snprintf(name, name_len, "operations/%s: %s [%s]", file, title ? title : "", op->c_name);
    case_name = name;
    raw = prepared(client, original);
    c = json_parse_str(raw);
    args = json_get(c, "args");
    path = json_get(args, "path");
    for (i = 0; i < op->path_count; i++) {
        values[i] = json_string(json_get(path, op->path[i]));
        if (!values[i] && !want_param) want_param = op->params[i];
    }
    if (json_get(args, "query")) query = json_raw_dup(json_get(args, "query"));
    if (json_get(args, "body")) body = json_raw_dup(json_get(args, "body"));
    /* The six first functions refuse NULL JSON as an invalid argument. */
    if (!want_param && op->hand_written && op->kind == C_OP_PARAMS && !query) want_param = "params_json";
    if (!want_param && op->hand_written && op->has_body && !body) want_param = "body_json";

    own = client_for(json_get(c, "auth"));
    emu_clear_log();
    if (op->kind == C_OP_NO_RESULT) {
        if (!c_operation_call(own ? own : client, op->operation_id, values, query, body, NULL, &err, &status))
            fail("a C function", op->c_name, "none");
        if (status == SUNCO_OK) out = strdup("{}");
    } else if (!c_operation_call(own ? own : client, op->operation_id, values, query, body, &out, &err, &status)) {
        fail("a C function", op->c_name, "none");
    }
    sunco_client_free(own);
    typed_runs++;
    typed_seen[op - c_operations] = 1;
    if ((status == SUNCO_OK) != (err == NULL)) fail("error object iff failure", "consistent", sunco_status_name(status));
    if ((status == SUNCO_OK) != (out != NULL)) fail("a result iff success", "consistent", out ? out : "NULL");
    if (want_param) {
        check_request(NULL);
        if (status != SUNCO_INVALID_ARGUMENT || !sunco_error_field(err) || strcmp(sunco_error_field(err), want_param) != 0)
            fail("SUNCO_INVALID_ARGUMENT naming the parameter", want_param,
                 sunco_error_field(err) ? sunco_error_field(err) : sunco_status_name(status));
    } else if (out && op->hand_written && strstr("CreateConversation GetConversation UpdateConversation", op->operation_id)) {
        /* These three of the first six answer the `conversation` itself, unwrapped. */
        size_t len = strlen(out) + 32;
        char *wrapped = malloc(len);
        snprintf(wrapped, len, "{\"conversation\":%s}", out);
        check_request(json_get(c, "request"));
        check_result(json_get(c, "expect"), status, wrapped, err, 1);
        free(wrapped);
    } else {
        check_request(json_get(c, "request"));
        check_result(json_get(c, "expect"), status, out, err, 1);
    }
    if (op->kind == C_OP_NO_RESULT) {
        free(out);
    } else {
        sunco_string_free(out);
    }
    sunco_error_free(err);
    free(query);
    free(body);
    free(name);
    case_name = "";
    json_free(c);
    free(raw);
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef void (*case_runner)(const sunco_client *client, const char *file, const json_value *c);

/* Runs every case of every DIR/NAME.json (in name order) through `run`; counts files and cases. */
static void run_dir(const sunco_client *client, const char *dir, case_runner run, size_t *n_files, size_t *cases) {
    char *files[64];
    size_t n = 0, i, j;
    DIR *d = opendir(dir);
    struct dirent *ent;

    if (!d) {
        fprintf(stderr, "test_vectors: cannot open %s\n", dir);
        case_failures++;
        return;
    }
    while ((ent = readdir(d)) != NULL && n < 64) {
        size_t len = strlen(ent->d_name);
        if (len > 5 && strcmp(ent->d_name + len - 5, ".json") == 0) files[n++] = strdup(ent->d_name);
    }
    closedir(d);
    qsort(files, n, sizeof files[0], compare_names);
    for (i = 0; i < n; i++) {
        char path[4096];
        size_t len = 0;
        char *text;
        json_value *doc;
        const json_value *list;
        const char *error = NULL;
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        text = json_read_file(path, &len);
        doc = text ? json_parse(text, len, &error) : NULL;
        list = json_get(doc, "cases");
        if (!list || list->type != JSON_ARRAY) {
            fprintf(stderr, "test_vectors: %s: no cases (%s)\n", path, error ? error : "unreadable");
            case_failures++;
        }
        for (j = 0; list && j < list->count; j++) {
            run(client, files[i], list->items[j]);
            (*cases)++;
        }
        json_free(doc);
        free(text);
        free(files[i]);
    }
    *n_files = n;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/vectors";
    char operations_dir[4096];
    size_t n_files = 0, cases = 0, n_op_files = 0, op_cases = 0;
    sunco_options *o = sunco_options_new();
    sunco_client *client = NULL;
    sunco_error *err = NULL;

    CHECK_OK(sunco_options_set_base_url(o, emu_base_url(), &err), err);
    CHECK_OK(sunco_options_set_basic_auth(o, "demo-key", "demo-secret", &err), err);
    CHECK_OK(sunco_options_set_max_retries(o, 0, &err), err);
    CHECK_OK(sunco_client_new(o, &client, &err), err);
    sunco_options_free(o);
    if (!client) return 2;

    run_dir(client, dir, run_case, &n_files, &cases);
    snprintf(operations_dir, sizeof operations_dir, "%s/operations", dir);
    run_dir(client, operations_dir, run_operation_case, &n_op_files, &op_cases);
    {
        size_t typed_files = 0, typed_cases = 0, i;
        run_dir(client, operations_dir, run_operation_case_typed, &typed_files, &typed_cases);
        /* Every operation with a JSON function ran through it at least once. */
        for (i = 0; i < c_operation_count; i++) {
            if (!typed_seen[i] && c_operations[i].kind != C_OP_URL && c_operations[i].kind != C_OP_UPLOAD) {
                fprintf(stderr, "FAIL no vector ran through %s (%s)\n", c_operations[i].c_name,
                        c_operations[i].operation_id);
                case_failures++;
            }
        }
        printf("test_vectors: %lu operation cases through the operations' own C functions (%lu not run there: "
               "not expressible with C types, or SUNCO_VECTORS_TYPED=one)\n",
               (unsigned long)typed_runs, (unsigned long)typed_skipped);
    }
    sunco_client_free(client);
    if (n_files < 6 || cases < 50) {
        fprintf(stderr, "test_vectors: only %lu files and %lu cases found in %s\n", (unsigned long)n_files,
                (unsigned long)cases, dir);
        case_failures++;
    }
    if (n_op_files < 1 || op_cases < 20) {
        fprintf(stderr, "test_vectors: only %lu files and %lu cases found in %s\n", (unsigned long)n_op_files,
                (unsigned long)op_cases, operations_dir);
        case_failures++;
    }
    printf("test_vectors: %lu cases from %lu files, %lu operation cases (sunco_call) from %lu files, %d failed checks\n",
           (unsigned long)cases, (unsigned long)n_files, (unsigned long)op_cases, (unsigned long)n_op_files,
           case_failures + check_failures);
    return case_failures + check_failures == 0 ? 0 : 1;
}
