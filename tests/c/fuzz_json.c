/* A bounded fuzz run over the JSON entry points of libconversations (create, list, update,
 * download_message_ref, iter_new/iter_next; the generic entry sunco_call, sunco_operation_iter_*
 * and sunco_authorize_url; every generated per-operation function and page iterator, picked at
 * random; the webhook receiver sunco_webhook_parse) and the option setters, against the emulator.
 *
 * Inputs: random bytes (invalid UTF-8 included), random JSON built from the API's field names
 * (deep nesting, lone-surrogate escapes, huge numbers, duplicate keys), and mutations of valid
 * bodies; ids from a hostile pool. Every call must return a defined status other than
 * SUNCO_INTERNAL, honour the out-parameter contract (NULL on failure, JSON text on success),
 * fill the error object, and send nothing when it refuses the input. A crash fails the run.
 *
 * Bounded by time and count: SUNCO_FUZZ_SECONDS (default 5) and SUNCO_FUZZ_ITERATIONS (default
 * 100000); SUNCO_FUZZ_SEED replays a run (the seed is printed). Run under scripts/with-emulator.sh. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "conversations.h"
#include "emu.h"
#include "json.h"
#include "operations_table.h"

int check_failures = 0;
int check_count = 0;

/* ---------------------------------------------------------------- randomness */

static uint64_t rng_state;

static uint64_t next_u64(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static size_t below(size_t n) { return n ? (size_t)(next_u64() % n) : 0; }
static int chance(unsigned percent) { return below(100) < percent; }

/* ---------------------------------------------------------------- a growable string */

typedef struct {
    char *p;
    size_t len, cap;
} buf;

static void put(buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}
static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }
static void putc_(buf *b, char c) { put(b, &c, 1); }

/* ---------------------------------------------------------------- generators */

static const char *const NAMES[] = {
    "type", "participants", "userId", "userExternalId", "subscribeSDKClient", "displayName",
    "description", "iconUrl", "metadata", "extra", "filter", "page", "after", "before", "size",
    "apple", "interactiveDataRef", "url", "bid", "key", "signature", "owner", "conversation",
    "x", "", "__proto__", "displayname", "path", "query", "body", "appId", "conversationId", "messageId",
    "brandId", "author", "content", "text", "client_id", "response_type",
};
static const char *const STRINGS[] = {
    "personal", "sdkGroup", "alice", "bob", "https://example.com/i.png", "5f1c6e4b3a2d1c0b9a8f7e6d",
    "", "..", "a/b?c=d", "%2e%2e", "\\uD800", "\\uDC00x", "\\ud83d\\ude00", "\\u0000", "\xc3\xa9",
    "\xff\xfe", "\\\"", "\\n", "aaaaaaaaaaaaaaaaaaaaaaaa",
};
static const char *const NUMBERS[] = {
    "0", "-0", "1", "-1", "50", "100", "101", "1.5", "1e3", "1e400", "-1e400", "18446744073709551616",
    "4294967296", "123456789012345678901234567890", "0.1", "-2.54229551736863e-110", "5e-324",
};

static void gen_value(buf *b, int depth);

static void gen_string(buf *b) {
    putc_(b, '"');
    if (chance(60)) {
        puts_(b, STRINGS[below(sizeof STRINGS / sizeof *STRINGS)]);
    } else {
        size_t n = below(12), i;
        for (i = 0; i < n; i++) {
            char c = (char)(32 + below(95));
            if (c == '"' || c == '\\') c = 'q';
            putc_(b, c);
        }
    }
    putc_(b, '"');
}

static void gen_object(buf *b, int depth) {
    size_t n = below(5), i;
    putc_(b, '{');
    for (i = 0; i < n; i++) {
        if (i) putc_(b, ',');
        putc_(b, '"');
        puts_(b, NAMES[below(sizeof NAMES / sizeof *NAMES)]);
        puts_(b, "\":");
        gen_value(b, depth + 1);
    }
    putc_(b, '}');
}

static void gen_value(buf *b, int depth) {
    size_t pick = depth > 6 ? below(4) : below(7);
    switch (pick) {
        case 0: puts_(b, chance(50) ? "null" : (chance(50) ? "true" : "false")); break;
        case 1: puts_(b, NUMBERS[below(sizeof NUMBERS / sizeof *NUMBERS)]); break;
        case 2:
        case 3: gen_string(b); break;
        case 4: {
            size_t n = below(4), i;
            putc_(b, '[');
            for (i = 0; i < n; i++) {
                if (i) putc_(b, ',');
                gen_value(b, depth + 1);
            }
            putc_(b, ']');
            break;
        }
        default: gen_object(b, depth); break;
    }
}

/* Nesting around a value: 100..300 levels of arrays or objects, closed or not. */
static void gen_deep(buf *b) {
    size_t n = 100 + below(200), i;
    int arrays = chance(50), closed = chance(80);
    puts_(b, "{\"type\":\"sdkGroup\",\"extra\":{\"x\":");
    for (i = 0; i < n; i++) puts_(b, arrays ? "[" : "{\"k\":");
    puts_(b, "1");
    if (closed) {
        for (i = 0; i < n; i++) putc_(b, arrays ? ']' : '}');
        puts_(b, "}}");
    }
}

static const char *const VALID[] = {
    "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"alice\"}],\"displayName\":\"Fuzz\"}",
    "{\"type\":\"personal\",\"participants\":[{\"userExternalId\":\"bob\",\"subscribeSDKClient\":true}]}",
    "{\"displayName\":\"x\",\"description\":null,\"metadata\":{\"a\":1,\"b\":\"c\",\"d\":true}}",
    "{\"filter\":{\"userExternalId\":\"alice\"},\"page\":{\"size\":2}}",
    "{\"filter\":{\"userId\":\"5f1c6e4b3a2d1c0b9a8f7e6d\"},\"page\":{\"before\":\"5f1c6e4b3a2d1c0b9a8f7e6d\"}}",
    "{\"userId\":\"u\",\"apple\":{\"interactiveDataRef\":{\"url\":\"u\",\"bid\":\"b\",\"key\":\"k\",\"signature\":\"s\",\"owner\":\"o\"}}}",
    "{\"type\":\"sdkGroup\",\"extra\":{\"newField\":[1,{\"a\":null}]}}",
};

/* A document to feed in: NUL-terminated, malloc'd. */
static char *gen_input(void) {
    buf b = {NULL, 0, 0};
    size_t kind = below(10), i;
    puts_(&b, "");
    if (kind == 0) { /* random bytes, no NUL */
        size_t n = below(64);
        for (i = 0; i < n; i++) putc_(&b, (char)(1 + below(255)));
    } else if (kind <= 4) {
        if (chance(80)) gen_object(&b, 0);
        else gen_value(&b, 0);
    } else if (kind == 5) {
        gen_deep(&b);
    } else { /* a mutated valid body */
        puts_(&b, VALID[below(sizeof VALID / sizeof *VALID)]);
        size_t edits = 1 + below(4);
        for (i = 0; i < edits && b.len > 0; i++) {
            size_t at = below(b.len);
            switch (below(4)) {
                case 0: b.p[at] = (char)(1 + below(255)); break;                          /* flip */
                case 1: b.len = at, b.p[at] = '\0'; break;                                 /* truncate */
                case 2: memmove(b.p + at, b.p + at + 1, b.len - at), b.len--; break;       /* delete */
                default: {                                                                  /* insert */
                    char *tail = strdup(b.p + at);
                    b.len = at;
                    puts_(&b, chance(50) ? "\\uD800" : "\"x\":");
                    puts_(&b, tail);
                    free(tail);
                }
            }
        }
    }
    return b.p;
}

static char long_id[1100];

/* Operation ids: real ones (lists, posts, deletes, the redirect) and names that are not. */
static const char *gen_operation(void) {
    static const char *const OPS[] = {
        "ListConversations", "CreateConversation", "GetConversation", "UpdateConversation", "DeleteConversation",
        "ListMessages", "PostMessage", "DeleteMessage", "DeleteAllMessages", "ListParticipants", "ListUsers",
        "GetUser", "CreateUser", "ListApps", "GetApp", "PostActivity", "UploadAttachment", "GetToken", "Authorize",
        "ListClients", "", "getConversation", "PostTelegram", "ListMessages ", "\xff", "List\xc3\x28",
    };
    return OPS[below(sizeof OPS / sizeof *OPS)];
}

static const char *gen_id(void);

/* One JSON member `"name":value`, a string id most of the time. */
static void gen_path_member(buf *b, const char *name) {
    putc_(b, '"');
    puts_(b, name);
    puts_(b, "\":");
    if (chance(85)) {
        putc_(b, '"');
        puts_(b, chance(50) ? (chance(50) ? "demo-app" : "5f1c6e4b3a2d1c0b9a8f7e6d") : gen_id());
        putc_(b, '"');
    } else {
        gen_value(b, 3);
    }
}

/* Arguments of the generic entry: {"path":{...},"query":{...},"body":...}, parts left out at
 * random, values near what the operations take. */
static char *gen_args(void) {
    static const char *const PATH[] = {"appId", "conversationId", "messageId", "userIdOrExternalId", "x"};
    static const char *const QUERY[] = {
        "{\"page\":{\"size\":2}}", "{\"page\":{\"before\":\"5f1c6e4b3a2d1c0b9a8f7e6d\",\"size\":50}}",
        "{\"filter\":{\"userExternalId\":\"alice\"},\"page\":{\"after\":\"5f1c6e4b3a2d1c0b9a8f7e6d\"}}",
        "{\"filter\":{\"identities.email\":\"a@b.c\"},\"brandId\":\"1\"}", "{\"page\":{\"size\":0}}", "{\"bogus\":1}",
        "{\"page\":\"x\"}", "{}",
    };
    static const char *const BODIES[] = {
        "{\"author\":{\"type\":\"business\"},\"content\":{\"type\":\"text\",\"text\":\"hi\"}}",
        "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"alice\"}]}", "{\"externalId\":\"fuzz\"}",
        "{\"type\":\"typing:start\",\"author\":{\"type\":\"business\"}}", "{\"displayName\":null}",
    };
    buf b = {NULL, 0, 0};
    size_t i, n = below(4);
    int first = 1;
    puts_(&b, "{");
    if (chance(80)) {
        puts_(&b, "\"path\":{");
        for (i = 0; i < n; i++) {
            if (i) putc_(&b, ',');
            gen_path_member(&b, i < 2 && chance(80) ? PATH[i] : PATH[below(sizeof PATH / sizeof *PATH)]);
        }
        puts_(&b, "}");
        first = 0;
    }
    if (chance(50)) {
        puts_(&b, first ? "\"query\":" : ",\"query\":");
        if (chance(70)) puts_(&b, QUERY[below(sizeof QUERY / sizeof *QUERY)]);
        else gen_object(&b, 1);
        first = 0;
    }
    if (chance(40)) {
        puts_(&b, first ? "\"body\":" : ",\"body\":");
        if (chance(60)) puts_(&b, BODIES[below(sizeof BODIES / sizeof *BODIES)]);
        else gen_value(&b, 1);
        first = 0;
    }
    if (chance(5)) puts_(&b, first ? "\"bogus\":1" : ",\"bogus\":1");
    puts_(&b, "}");
    if (chance(10) && b.len > 1) b.p[below(b.len)] = (char)(1 + below(255)); /* a flipped byte */
    return b.p;
}

static const char *gen_id(void) {
    static const char *const IDS[] = {
        "5f1c6e4b3a2d1c0b9a8f7e6d", "", ".", "..", "...", "a/b", "../x", "%2e%2e", "a b#c\xc3\xa9",
        "\xff", "\xc3\x28", "\xed\xa0\x80" /* an encoded surrogate: not UTF-8 */, "?", long_id,
    };
    return IDS[below(sizeof IDS / sizeof *IDS)];
}

static const char *gen_app(void) {
    return chance(85) ? "demo-app" : gen_id();
}

/* ---------------------------------------------------------------- checks */

#define LAST_STATUS SUNCO_WEBHOOK_TOO_LARGE
static size_t status_counts[LAST_STATUS + 2];

static size_t log_count(void) {
    json_value *log = emu_log();
    size_t n = json_get(log, "requests") ? json_get(log, "requests")->count : 0;
    json_free(log);
    return n;
}

/* Checks one call's outcome; `out` is the out-parameter (NULL if the call has none). */
static void check_outcome(const char *what, const char *input, sunco_status st, sunco_error *e, char *out,
                          int has_out, size_t sent) {
    unsigned s = (unsigned)st;
    status_counts[s <= LAST_STATUS ? s : LAST_STATUS + 1]++;
    check_count++;
    if (s > LAST_STATUS || st == SUNCO_INTERNAL) goto fail;
    if (st == SUNCO_OK) {
        if (e != NULL) goto fail;
        if (has_out && out != NULL) {
            json_value *v = json_parse_str(out);
            int ok = v && v->type == JSON_OBJECT;
            json_free(v);
            if (!ok) goto fail;
        }
        return;
    }
    if (out != NULL || e == NULL || sunco_error_status(e) != st || !sunco_error_message(e) ||
        !sunco_error_message(e)[0])
        goto fail;
    if ((st == SUNCO_INVALID_ARGUMENT || st == SUNCO_VALIDATION) && (!sunco_error_field(e) || sent != 0)) goto fail;
    return;
fail:
    check_failures++;
    fprintf(stderr, "fuzz_json: %s gave %s (%s), out=%s, sent=%zu\n  input: %.300s\n", what, sunco_status_name(st),
            e && sunco_error_message(e) ? sunco_error_message(e) : "no error", out ? out : "NULL", sent,
            input ? input : "(none)");
}

/* ---------------------------------------------------------------- webhooks */

#define WEBHOOK_SECRET "whsec-fuzz"

static const char *const WEBHOOK_VALID[] = {
    "{\"app\":{\"id\":\"demo-app\"},\"webhook\":{\"id\":\"w\",\"version\":\"v2\"},\"events\":[{\"id\":\"e\","
    "\"createdAt\":\"2020-09-30T15:14:29.834Z\",\"type\":\"conversation:message\",\"payload\":{\"conversation\":"
    "{\"id\":\"c\",\"type\":\"personal\"},\"message\":{\"id\":\"m\",\"author\":{\"type\":\"user\"},"
    "\"content\":{\"type\":\"text\",\"text\":\"hi\"}}}}]}",
    "{\"events\":[{\"type\":\"switchboard:passControl\",\"payload\":{\"conversation\":{\"id\":\"c\"}}},"
    "{\"type\":\"x:unknown\",\"payload\":[1,2]}]}",
    "{\"events\":[{\"type\":\"conversation:typing\",\"payload\":{\"activity\":{\"type\":\"typing:start\"}}}]}",
};

/* One webhook request: a body (valid, mutated, or any input) and headers with the right
 * secret, a wrong one, none, or two. Must end in SUNCO_OK with a JSON object, or in a webhook
 * status with the HTTP status to answer; never show the secret. */
static void fuzz_webhook(const char *input) {
    const char *names[3] = {"Content-Type", "X-API-Key", "x-api-key"};
    const char *values[3] = {"application/json", WEBHOOK_SECRET, WEBHOOK_SECRET};
    size_t count = 1 + below(3), len;
    char *body = NULL, *out = NULL;
    sunco_error *e = NULL;
    sunco_status st;
    if (chance(50)) {
        buf b = {NULL, 0, 0};
        puts_(&b, WEBHOOK_VALID[below(sizeof WEBHOOK_VALID / sizeof *WEBHOOK_VALID)]);
        if (chance(70) && b.len) b.p[below(b.len)] = (char)(1 + below(255));
        body = b.p;
    } else {
        body = strdup(input);
    }
    if (chance(20)) values[1] = "whsec-fuzy";
    len = strlen(body);
    st = sunco_webhook_parse(WEBHOOK_SECRET, (const uint8_t *)body, len, names, values, count, &out, &e);
    check_outcome("webhook_parse", body, st, e, out, 1, 0);
    if (st != SUNCO_OK) {
        unsigned http = sunco_error_http_status(e);
        int known = (st == SUNCO_WEBHOOK_UNAUTHORIZED && http == 401) || (st == SUNCO_WEBHOOK_MALFORMED && http == 400) ||
                    (st == SUNCO_WEBHOOK_TOO_LARGE && http == 413);
        if (!known || strstr(sunco_error_message(e), WEBHOOK_SECRET)) {
            check_failures++;
            fprintf(stderr, "fuzz_json: webhook_parse gave %s (http %u): %s\n", sunco_status_name(st), http,
                    sunco_error_message(e));
        }
    } else if (count < 2 || strcmp(values[1], WEBHOOK_SECRET) != 0 || count > 2) {
        check_failures++; /* accepted without exactly one right secret */
        fprintf(stderr, "fuzz_json: webhook_parse accepted %zu headers\n", count);
    }
    sunco_string_free(out);
    sunco_error_free(e);
    free(body);
}

/* One generated per-operation function (or its page iterator), picked at random, with random
 * ids and the input as its query and body. */
static void fuzz_typed(const sunco_client *c, const char *input) {
    const c_operation *op = &c_operations[below(c_operation_count)];
    const char *path[3];
    char *out = NULL;
    sunco_error *e = NULL;
    sunco_status st = SUNCO_OK;
    size_t i;
    if (op->kind != C_OP_CALL) return;
    for (i = 0; i < 3; i++) path[i] = chance(5) ? NULL : (i == 0 ? gen_app() : gen_id());
    if (op->paginated && chance(30)) {
        sunco_operation_iter *it = NULL;
        if (!c_operation_iter(c, op->operation_id, path, chance(20) ? NULL : input, &it, &e, &st)) check_failures++;
        check_outcome(op->c_name, input, st, e, NULL, 0, log_count());
        if ((st == SUNCO_OK) != (it != NULL)) check_failures++;
        if (st == SUNCO_OK) {
            sunco_error_free(e);
            e = NULL;
            emu_clear_log();
            st = sunco_operation_iter_next(it, &out, &e);
            check_outcome(op->c_name, input, st, e, out, 1, log_count());
        }
        sunco_operation_iter_free(it);
    } else {
        const char *json = chance(10) ? NULL : input;
        if (!c_operation_call(c, op->operation_id, path, json, json, &out, &e, &st)) check_failures++;
        check_outcome(op->c_name, input, st, e, out, 1, log_count());
    }
    sunco_string_free(out);
    sunco_error_free(e);
}

/* ---------------------------------------------------------------- the run */

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static sunco_client *make_client(void) {
    sunco_options *o = sunco_options_new();
    sunco_client *c = NULL;
    sunco_options_set_base_url(o, emu_base_url(), NULL);
    sunco_options_set_basic_auth(o, "demo-key", "demo-secret", NULL);
    sunco_options_set_max_retries(o, 0, NULL);
    sunco_options_set_timeout_ms(o, 10000, NULL);
    if (sunco_client_new(o, &c, NULL) != SUNCO_OK) {
        fprintf(stderr, "fuzz_json: cannot make a client\n");
        exit(2);
    }
    sunco_options_free(o);
    return c;
}

/* Option setters with random text, then a client from them. */
static void fuzz_options(void) {
    sunco_options *o = sunco_options_new();
    sunco_client *c = NULL;
    sunco_error *e = NULL;
    char *text = gen_input();
    sunco_status st;
    switch (below(5)) {
        case 0: st = sunco_options_set_base_url(o, chance(50) ? text : gen_id(), &e); break;
        case 1: st = sunco_options_set_region(o, text, &e); break;
        case 2: st = sunco_options_set_subdomain(o, text, &e); break;
        case 3: st = sunco_options_set_proxy(o, text, &e); break;
        default: st = sunco_options_set_bearer_token(o, text, &e); break;
    }
    check_outcome("an option setter", text, st, e, NULL, 0, 0);
    sunco_error_free(e);
    e = NULL;
    sunco_options_set_bearer_token(o, "t", NULL);
    st = sunco_client_new(o, &c, &e);
    check_outcome("sunco_client_new", text, st, e, NULL, 0, 0);
    if (st == SUNCO_OK && c == NULL) check_failures++;
    sunco_error_free(e);
    sunco_client_free(c);
    sunco_options_free(o);
    free(text);
}

int main(void) {
    const char *env;
    double seconds = 5, start;
    unsigned long max_iterations = 100000, i;
    uint64_t seed;
    sunco_client *c;
    size_t k;

    if ((env = getenv("SUNCO_FUZZ_SECONDS"))) seconds = atof(env);
    if ((env = getenv("SUNCO_FUZZ_ITERATIONS"))) max_iterations = strtoul(env, NULL, 10);
    seed = (env = getenv("SUNCO_FUZZ_SEED")) ? strtoull(env, NULL, 10) : (uint64_t)time(NULL) ^ 0x5eedULL;
    if (seed == 0) seed = 1;
    rng_state = seed;
    memset(long_id, 'a', sizeof long_id - 1);

    emu_reset();
    c = make_client();
    start = now();
    for (i = 0; i < max_iterations && now() - start < seconds; i++) {
        char *input = gen_input(), *out = NULL;
        const char *app = gen_app(), *id = gen_id();
        sunco_error *e = NULL;
        sunco_status st;
        size_t op = below(12), sent;

        emu_clear_log();
        switch (op) {
            case 0:
                st = sunco_conversations_create(c, app, input, &out, &e);
                sent = log_count();
                check_outcome("create", input, st, e, out, 1, sent);
                break;
            case 1:
                st = sunco_conversations_list(c, app, input, &out, &e);
                sent = log_count();
                check_outcome("list", input, st, e, out, 1, sent);
                break;
            case 2:
                st = sunco_conversations_update(c, app, id, input, &out, &e);
                sent = log_count();
                check_outcome("update", input, st, e, out, 1, sent);
                break;
            case 3:
                st = sunco_conversations_download_message_ref(c, app, id, input, &out, &e);
                sent = log_count();
                check_outcome("download_message_ref", input, st, e, out, 1, sent);
                break;
            case 4: {
                sunco_conversation_iter *it = NULL;
                st = sunco_conversation_iter_new(c, app, input, &it, &e);
                check_outcome("iter_new", input, st, e, NULL, 0, log_count());
                if ((st == SUNCO_OK) != (it != NULL)) check_failures++;
                for (k = 0; st == SUNCO_OK && k < 3; k++) {
                    sunco_error_free(e);
                    e = NULL;
                    emu_clear_log();
                    st = sunco_conversation_iter_next(it, &out, &e);
                    check_outcome("iter_next", input, st, e, out, 1, log_count());
                    if (st == SUNCO_OK && out == NULL) break;
                    sunco_string_free(out);
                    out = NULL;
                }
                sunco_conversation_iter_free(it);
                break;
            }
            case 5:
            case 6: { /* the generic entry: arguments shaped like the API's, or anything */
                char *args = op == 5 ? gen_args() : NULL;
                st = sunco_call(c, gen_operation(), args ? args : input, &out, &e);
                sent = log_count();
                check_outcome("sunco_call", args ? args : input, st, e, out, 1, sent);
                free(args);
                break;
            }
            case 7: {
                sunco_operation_iter *it = NULL;
                char *args = chance(70) ? gen_args() : NULL;
                const char *use = args ? args : input;
                st = sunco_operation_iter_new(c, chance(70) ? (chance(50) ? "ListConversations" : "ListMessages")
                                                            : gen_operation(),
                                              use, &it, &e);
                check_outcome("operation_iter_new", use, st, e, NULL, 0, log_count());
                if ((st == SUNCO_OK) != (it != NULL)) check_failures++;
                if (st == SUNCO_OK && (!sunco_operation_iter_items(it) || !sunco_operation_iter_items(it)[0]))
                    check_failures++;
                for (k = 0; st == SUNCO_OK && k < 3; k++) {
                    sunco_error_free(e);
                    e = NULL;
                    emu_clear_log();
                    st = sunco_operation_iter_next(it, &out, &e);
                    check_outcome("operation_iter_next", use, st, e, out, 1, log_count());
                    if (st == SUNCO_OK && out == NULL) break;
                    sunco_string_free(out);
                    out = NULL;
                }
                sunco_operation_iter_free(it);
                free(args);
                break;
            }
            case 8: { /* builds a URL, sends nothing */
                st = sunco_authorize_url(c, input, &out, &e);
                check_outcome("authorize_url", input, st, e, out, 0, log_count());
                if ((st == SUNCO_OK) != (out != NULL)) check_failures++;
                if (st == SUNCO_OK && log_count() != 0) check_failures++;
                break;
            }
            case 9:
                fuzz_webhook(input);
                st = SUNCO_OK;
                break;
            case 10:
                fuzz_typed(c, input);
                st = SUNCO_OK;
                break;
            default:
                fuzz_options();
                st = SUNCO_OK;
        }
        (void)st;
        sunco_string_free(out);
        sunco_error_free(e);
        free(input);
    }
    sunco_client_free(c);

    printf("fuzz_json: %lu inputs in %.1f s (seed %llu):", i, now() - start, (unsigned long long)seed);
    for (k = 0; k <= LAST_STATUS; k++)
        if (status_counts[k]) printf(" %s=%zu", sunco_status_name((uint32_t)k), status_counts[k]);
    if (status_counts[LAST_STATUS + 1]) printf(" UNDEFINED=%zu", status_counts[LAST_STATUS + 1]);
    printf("\nfuzz_json: %d checks, %d failed\n", check_count, check_failures);
    return check_failures == 0 ? 0 : 1;
}
