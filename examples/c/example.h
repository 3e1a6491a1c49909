/* The small helper the per-group C examples share (examples/c/<group>.c): a client from the
 * environment, a check that stops the example on a failed call, a field read from a JSON
 * answer (with the tests' small JSON reader, tests/c/json.h). Run by `make demo-c`. */
#ifndef SUNCO_EXAMPLE_H
#define SUNCO_EXAMPLE_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* strdup, mkstemp */
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conversations.h"
#include "json.h"

/* A client on $SUNCO_BASE_URL with Basic credentials: the app key of the environment
 * ($SUNCO_KEY_ID/$SUNCO_KEY_SECRET) when `key_id` is NULL, else the given key (the emulator's
 * seed account key `demo-account-key` for the account-level groups). */
static inline sunco_client *example_client(const char *key_id, const char *key_secret) {
    sunco_client *client = NULL;
    sunco_error *err = NULL;
    sunco_status s;
    if (key_id == NULL) {
        s = sunco_client_new_from_env(&client, &err);
    } else {
        sunco_options *o = sunco_options_new();
        const char *base = getenv("SUNCO_BASE_URL");
        s = sunco_options_set_base_url(o, base ? base : "http://127.0.0.1:8080", &err);
        if (s == SUNCO_OK) s = sunco_options_set_basic_auth(o, key_id, key_secret, &err);
        if (s == SUNCO_OK) s = sunco_client_new(o, &client, &err);
        sunco_options_free(o);
    }
    if (s != SUNCO_OK) {
        fprintf(stderr, "client: %s: %s\n", sunco_status_name(s), sunco_error_message(err));
        exit(1);
    }
    return client;
}

/* Stops the example when a call failed, saying why; else prints the start of its answer. */
static inline void example_check(const char *what, sunco_status s, sunco_error *err, const char *out) {
    if (s != SUNCO_OK) {
        fprintf(stderr, "%s: %s (HTTP %u, code %s): %s\n", what, sunco_status_name(s), sunco_error_http_status(err),
                sunco_error_code(err) ? sunco_error_code(err) : "-", sunco_error_message(err));
        sunco_error_free(err);
        exit(1);
    }
    printf("%-28s %.110s%s\n", what, out ? out : "", out && strlen(out) > 110 ? "..." : "");
}

/* The string at a dotted path of a JSON answer (`integration.webhooks.0.id`), malloc'd, or
 * NULL. */
static inline char *example_field(const char *json, const char *path) {
    json_value *doc = json_parse_str(json ? json : "null");
    const json_value *v = doc;
    char key[128], *found = NULL;
    while (v && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof key) break;
        memcpy(key, path, n);
        key[n] = '\0';
        v = v->type == JSON_ARRAY ? json_at(v, strtoul(key, NULL, 10)) : json_get(v, key);
        path += n + (path[n] == '.');
    }
    if (v && json_string(v)) found = strdup(json_string(v));
    json_free(doc);
    return found;
}

/* Runs `call` (which writes `out` and `err`), checks it, prints it. */
#define RUN(what, call)                         \
    do {                                        \
        sunco_status run_status_;               \
        sunco_string_free(out);                 \
        out = NULL;                             \
        run_status_ = (call);                   \
        example_check(what, run_status_, err, out); \
    } while (0)

#endif
