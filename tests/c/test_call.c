/* C tests of the generic entry of libconversations: sunco_call (any operation by operationId),
 * sunco_operation_iter_* (any cursor-paginated list, both ways) and sunco_authorize_url.
 * NULL and malformed arguments, deep JSON, results as sent, walks forward and backward on the
 * emulator (ListConversations) and on a local server that pages like the API's ListMessages
 * (backward by default: the latest page first). The shared vectors of tests/vectors/operations
 * run in test_vectors.c. Run under scripts/with-emulator.sh. */
#define _POSIX_C_SOURCE 200809L
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "conversations.h"
#include "emu.h"
#include "json.h"

int check_failures = 0;
int check_count = 0;

static sunco_client *client_for(const char *base_url) {
    sunco_options *o = sunco_options_new();
    sunco_client *c = NULL;
    sunco_error *e = NULL;
    CHECK_OK(sunco_options_set_base_url(o, base_url, &e), e);
    CHECK_OK(sunco_options_set_basic_auth(o, "demo-key", "demo-secret", &e), e);
    CHECK_OK(sunco_options_set_max_retries(o, 0, &e), e);
    CHECK_OK(sunco_client_new(o, &c, &e), e);
    sunco_error_free(e);
    sunco_options_free(o);
    return c;
}

/* Checks a failed call's status and error field (NULL: none), then frees the error. */
static void check_error(int line, sunco_status got, sunco_error *err, sunco_status want, const char *field) {
    const char *got_field = sunco_error_field(err);
    check_count++;
    if (got != want || err == NULL || sunco_error_status(err) != want ||
        !(got_field == field || (got_field && field && strcmp(got_field, field) == 0)) ||
        sunco_error_message(err) == NULL || sunco_error_message(err)[0] == '\0') {
        check_failures++;
        fprintf(stderr, "test_call.c:%d: got %s (field %s: %s), expected %s (field %s)\n", line, sunco_status_name(got),
                got_field ? got_field : "NULL", err ? sunco_error_message(err) : "no error object",
                sunco_status_name(want), field ? field : "NULL");
    }
    sunco_error_free(err);
}
#define CHECK_ERROR(call, err, want, field)                 \
    do {                                                    \
        sunco_status status_ = (call);                      \
        check_error(__LINE__, status_, err, want, field);   \
    } while (0)

static size_t log_count(void) {
    json_value *log = emu_log();
    size_t n = json_get(log, "requests")->count;
    json_free(log);
    return n;
}

/* sunco_call that must succeed; the parsed result (free with json_free). */
static json_value *call_ok(const sunco_client *c, const char *op, const char *args) {
    char *out = NULL;
    sunco_error *e = NULL;
    json_value *v = NULL;
    sunco_status st = sunco_call(c, op, args, &out, &e);
    CHECK_OK(st, e);
    if (st == SUNCO_OK) v = json_parse_str(out);
    CHECK(v != NULL && v->type == JSON_OBJECT);
    sunco_string_free(out);
    sunco_error_free(e);
    return v;
}

static char *repeat(char c, size_t n) {
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* `prefix`, n `[`, `middle`, n `]` if `close`, `suffix` (malloc'd). */
static char *nested(const char *prefix, size_t n, const char *middle, int close, const char *suffix) {
    size_t lp = strlen(prefix), lm = strlen(middle), ls = strlen(suffix);
    char *s = malloc(lp + n + lm + (close ? n : 0) + ls + 1), *p = s;
    memcpy(p, prefix, lp), p += lp;
    memset(p, '[', n), p += n;
    memcpy(p, middle, lm), p += lm;
    if (close) memset(p, ']', n), p += n;
    memcpy(p, suffix, ls), p += ls;
    *p = '\0';
    return s;
}

/* ---------------------------------------------------------------- sunco_call */

static void test_call(const sunco_client *c) {
    char args[512], *out = NULL;
    sunco_error *e = NULL;
    json_value *made, *got, *gone, *log;
    const char *id;

    emu_reset();
    made = call_ok(c, "CreateConversation",
                   "{\"path\":{\"appId\":\"demo-app\"},\"body\":{\"type\":\"sdkGroup\",\"displayName\":\"Call\","
                   "\"participants\":[{\"userExternalId\":\"alice\"}]}}");
    id = json_string(json_get(json_get(made, "conversation"), "id"));
    CHECK(id != NULL);
    CHECK_STR(json_string(json_get(json_get(made, "conversation"), "displayName")), "Call");
    /* As sent: nulls kept. */
    CHECK(json_get(json_get(made, "conversation"), "businessLastRead") != NULL &&
          json_get(json_get(made, "conversation"), "businessLastRead")->type == JSON_NULL);

    snprintf(args, sizeof args, "{\"path\":{\"appId\":\"demo-app\",\"conversationId\":\"%s\"}}", id ? id : "?");
    got = call_ok(c, "GetConversation", args);
    CHECK(json_equal(got, made));
    emu_clear_log();
    /* No body: an empty object. */
    CHECK_OK(sunco_call(c, "DeleteConversation", args, &out, &e), e);
    CHECK_STR(out, "{}");
    sunco_string_free(out);
    /* The request the descriptor says. */
    log = emu_log();
    CHECK_STR(json_string(json_get(json_at(json_get(log, "requests"), 0), "method")), "DELETE");
    json_free(log);
    /* The API's errors keep their statuses. */
    CHECK_STATUS(sunco_call(c, "GetConversation", args, &out, &e), SUNCO_NOT_FOUND, e);
    CHECK_STR(sunco_error_code(e), "conversation_not_found");
    CHECK(out == NULL);
    sunco_error_free(e);

    /* deepObject queries in the order given. */
    emu_clear_log();
    gone = call_ok(c, "ListConversations",
                   "{\"path\":{\"appId\":\"demo-app\"},\"query\":{\"page\":{\"size\":5},\"filter\":{\"userExternalId\":"
                   "\"alice\"}}}");
    CHECK(json_get(gone, "conversations") != NULL);
    log = emu_log();
    CHECK_STR(json_string(json_get(json_at(json_get(log, "requests"), 0), "query")),
              "page[size]=5&filter[userExternalId]=alice");
    json_free(log);
    json_free(gone);
    json_free(got);
    json_free(made);
}

static void test_bad_arguments(const sunco_client *c) {
    char sentinel = 'x', *out = &sentinel;
    sunco_error *e = NULL;
    sunco_operation_iter *it = (sunco_operation_iter *)&sentinel;
    const char *get = "{\"path\":{\"appId\":\"demo-app\",\"conversationId\":\"x\"}}";
    char *deep;

    emu_reset();
#define BAD(call, param)                                                  \
    do {                                                                  \
        out = &sentinel;                                                  \
        CHECK_ERROR(call, e, SUNCO_INVALID_ARGUMENT, param);              \
        CHECK(out == NULL || out == &sentinel);                           \
    } while (0)
    BAD(sunco_call(NULL, "GetConversation", get, &out, &e), "client");
    CHECK(out == NULL); /* out-parameters are cleared first */
    BAD(sunco_call(c, NULL, get, &out, &e), "operation_id");
    BAD(sunco_call(c, "Get\xff", get, &out, &e), "operation_id");
    BAD(sunco_call(c, "GetConversation", NULL, &out, &e), "args_json");
    BAD(sunco_call(c, "GetConversation", "{\"path\":", &out, &e), "args_json");
    BAD(sunco_call(c, "GetConversation", "{} trailing", &out, &e), "args_json");
    BAD(sunco_call(c, "GetConversation", "\xc3\x28", &out, &e), "args_json");
    BAD(sunco_call(c, "GetConversation", get, NULL, &e), "out_json");
    BAD(sunco_operation_iter_new(NULL, "ListApps", "{}", &it, &e), "client");
    CHECK(it == NULL);
    BAD(sunco_operation_iter_new(c, NULL, "{}", &it, &e), "operation_id");
    BAD(sunco_operation_iter_new(c, "ListApps", NULL, &it, &e), "args_json");
    BAD(sunco_operation_iter_new(c, "ListApps", "{", &it, &e), "args_json");
    BAD(sunco_operation_iter_new(c, "ListApps", "{}", NULL, &e), "out");
    BAD(sunco_operation_iter_next(NULL, &out, &e), "iter");
    BAD(sunco_authorize_url(NULL, "{}", &out, &e), "client");
    BAD(sunco_authorize_url(c, NULL, &out, &e), "query_json");
    BAD(sunco_authorize_url(c, "{", &out, &e), "query_json");
    BAD(sunco_authorize_url(c, "{}", NULL, &e), "out_url");
#undef BAD
    CHECK(sunco_call(c, NULL, get, &out, NULL) == SUNCO_INVALID_ARGUMENT); /* err may be NULL */

    /* The core's verdicts: SUNCO_VALIDATION naming the argument in wire spelling. */
    CHECK_ERROR(sunco_call(c, "PostTelegram", "{}", &out, &e), e, SUNCO_VALIDATION, "operationId");
    CHECK_ERROR(sunco_call(c, "", "{}", &out, &e), e, SUNCO_VALIDATION, "operationId");
    CHECK_ERROR(sunco_call(c, "Authorize", "{\"query\":{\"client_id\":\"c\",\"response_type\":\"code\"}}", &out, &e), e,
                SUNCO_VALIDATION, "operationId");
    CHECK_ERROR(sunco_call(c, "GetConversation", "5", &out, &e), e, SUNCO_VALIDATION, "args");
    CHECK_ERROR(sunco_call(c, "GetConversation", "\"{}\"", &out, &e), e, SUNCO_VALIDATION, "args");
    CHECK_ERROR(sunco_call(c, "GetConversation", "{\"paths\":{}}", &out, &e), e, SUNCO_VALIDATION, "paths");
    CHECK_ERROR(sunco_call(c, "GetConversation", "{\"path\":[]}", &out, &e), e, SUNCO_VALIDATION, "path");
    CHECK_ERROR(sunco_call(c, "GetConversation", "{\"path\":{\"appId\":\"demo-app\"}}", &out, &e), e, SUNCO_VALIDATION,
                "conversationId");
    CHECK_ERROR(sunco_call(c, "GetConversation", "{\"path\":{\"appId\":\"demo-app\",\"conversationId\":5}}", &out, &e), e,
                SUNCO_VALIDATION, "conversationId");
    CHECK_ERROR(sunco_call(c, "GetConversation", "{\"path\":{\"appId\":\"..\",\"conversationId\":\"x\"}}", &out, &e), e,
                SUNCO_VALIDATION, "appId");
    /* A lone surrogate escape is text serde_json does not accept: not JSON, for C. */
    CHECK_ERROR(sunco_call(c, "GetConversation", "{\"path\":{\"appId\":\"\\ud800\",\"conversationId\":\"x\"}}", &out, &e), e,
                SUNCO_INVALID_ARGUMENT, "args_json");
    CHECK_ERROR(sunco_call(c, "ListApps", "{\"query\":{\"page\":{\"size\":0}}}", &out, &e), e, SUNCO_VALIDATION,
                "page.size");
    CHECK_ERROR(sunco_call(c, "GetConversation", "{\"path\":{\"appId\":\"a\",\"conversationId\":\"x\"},\"body\":{}}", &out,
                           &e),
                e, SUNCO_VALIDATION, "body");
    CHECK_ERROR(sunco_call(c, "CreateApp", "{\"body\":[1]}", &out, &e), e, SUNCO_VALIDATION, "body");

    /* Deep JSON: refused by the parser where the core's limit is, named, no crash. */
    deep = repeat('[', 100000);
    CHECK_ERROR(sunco_call(c, "ListApps", deep, &out, &e), e, SUNCO_VALIDATION, "args");
    CHECK_ERROR(sunco_operation_iter_new(c, "ListApps", deep, &it, &e), e, SUNCO_VALIDATION, "args");
    CHECK_ERROR(sunco_authorize_url(c, deep, &out, &e), e, SUNCO_VALIDATION, "query");
    free(deep);
    deep = nested("{\"body\":{\"x\":", 100000, "1", 1, "}}");
    CHECK_ERROR(sunco_call(c, "CreateApp", deep, &out, &e), e, SUNCO_VALIDATION, "body");
    free(deep);
    /* 128 levels counted from the args object: args, body and 126 arrays are refused... */
    deep = nested("{\"path\":{\"appId\":\"demo-app\",\"conversationId\":\"5f1c6e4b3a2d1c0b9a8f7e6d\"},\"body\":{\"x\":",
                  126, "1", 1, "}}");
    CHECK_STATUS(sunco_call(c, "UpdateConversation", deep, &out, &e), SUNCO_VALIDATION, e);
    CHECK(e && strstr(sunco_error_message(e), "128") != NULL);
    sunco_error_free(e);
    free(deep);
    CHECK(log_count() == 0);
    /* ...one level less is sent (to a conversation that does not exist). */
    deep = nested("{\"path\":{\"appId\":\"demo-app\",\"conversationId\":\"5f1c6e4b3a2d1c0b9a8f7e6d\"},\"body\":{\"x\":",
                  125, "1", 1, "}}");
    CHECK_ERROR(sunco_call(c, "UpdateConversation", deep, &out, &e), e, SUNCO_NOT_FOUND, NULL);
    free(deep);
    CHECK(log_count() == 1);

    sunco_operation_iter_free(NULL);
    CHECK(sunco_operation_iter_items(NULL) == NULL);
}

/* ---------------------------------------------------------------- walks */

/* Walks `it` to the end; the ids of the records of each page, in order, joined by ','. */
static char *walk_ids(sunco_operation_iter *it, size_t *pages) {
    size_t cap = 1 << 16, len = 0;
    char *ids = calloc(cap, 1), *page = NULL;
    sunco_error *e = NULL;
    const char *items = sunco_operation_iter_items(it);
    *pages = 0;
    for (;;) {
        json_value *v;
        const json_value *records;
        size_t i;
        CHECK_OK(sunco_operation_iter_next(it, &page, &e), e);
        sunco_error_free(e);
        e = NULL;
        if (page == NULL || *pages >= 50) break;
        (*pages)++;
        v = json_parse_str(page);
        records = json_get(v, items ? items : "?");
        CHECK(records != NULL && records->type == JSON_ARRAY);
        CHECK(json_get(v, "meta") != NULL); /* the page as sent */
        for (i = 0; records && i < records->count; i++) {
            const char *id = json_string(json_get(json_at(records, i), "id"));
            len += (size_t)snprintf(ids + len, cap - len, "%s%s", len ? "," : "", id ? id : "?");
        }
        json_free(v);
        sunco_string_free(page);
    }
    return ids;
}

/* ids[from .. to) joined by ',', appended to `out` (which has room). */
static void join(char *out, char **ids, size_t from, size_t to) {
    size_t i;
    for (i = from; i < to; i++) {
        if (out[0]) strcat(out, ",");
        strcat(out, ids[i]);
    }
}

static void test_walk_conversations(const sunco_client *c) {
    enum { N = 30 };
    char *ids[N], args[512], want[N * 26 + 1], *got;
    sunco_operation_iter *it = NULL;
    sunco_client *short_lived = client_for(emu_base_url());
    sunco_error *e = NULL;
    size_t i, pages;
    json_value *log;

    emu_reset();
    for (i = 0; i < N; i++) {
        char *out = NULL;
        json_value *v;
        CHECK_OK(sunco_conversations_create(c, "demo-app",
                                            "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"alice\"}]}",
                                            &out, &e),
                 e);
        v = json_parse_str(out ? out : "{}");
        ids[i] = strdup(json_string(json_get(v, "id")) ? json_string(json_get(v, "id")) : "?");
        json_free(v);
        sunco_string_free(out);
    }
    emu_clear_log();

    /* Backward from `before`: the page just before the cursor first, records ascending. */
    snprintf(args, sizeof args,
             "{\"path\":{\"appId\":\"demo-app\"},\"query\":{\"filter\":{\"userExternalId\":\"alice\"},\"page\":{"
             "\"before\":\"%s\",\"size\":10}}}",
             ids[25]);
    CHECK_OK(sunco_operation_iter_new(short_lived, "ListConversations", args, &it, &e), e);
    sunco_client_free(short_lived); /* the iterator outlives its client */
    CHECK(log_count() == 0);        /* nothing sent yet */
    CHECK_STR(sunco_operation_iter_items(it), "conversations");
    got = walk_ids(it, &pages);
    want[0] = '\0';
    join(want, ids, 15, 25), join(want, ids, 5, 15), join(want, ids, 0, 5);
    CHECK_STR(got, want);
    CHECK(pages == 3);
    free(got);
    /* Done is done: NULL again. */
    {
        char *page = (char *)&pages;
        CHECK_OK(sunco_operation_iter_next(it, &page, &e), e);
        CHECK(page == NULL);
    }
    sunco_operation_iter_free(it);
    log = emu_log();
    CHECK(json_get(log, "requests")->count == 3);
    for (i = 0; i < 3 && i < json_get(log, "requests")->count; i++) {
        const char *q = json_string(json_get(json_at(json_get(log, "requests"), i), "query"));
        char before[64];
        snprintf(before, sizeof before, "page[before]=%s", ids[25 - 10 * i]);
        CHECK(q != NULL && strstr(q, before) != NULL);
    }
    json_free(log);

    /* Forward from `after`, and without a cursor (ListConversations goes forward). */
    snprintf(args, sizeof args,
             "{\"path\":{\"appId\":\"demo-app\"},\"query\":{\"filter\":{\"userExternalId\":\"alice\"},\"page\":{"
             "\"after\":\"%s\",\"size\":10}}}",
             ids[9]);
    CHECK_OK(sunco_operation_iter_new(c, "ListConversations", args, &it, &e), e);
    got = walk_ids(it, &pages);
    want[0] = '\0';
    join(want, ids, 10, N);
    CHECK_STR(got, want);
    free(got);
    sunco_operation_iter_free(it);
    CHECK_OK(sunco_operation_iter_new(c, "ListConversations",
                                      "{\"path\":{\"appId\":\"demo-app\"},\"query\":{\"filter\":{\"userExternalId\":"
                                      "\"alice\"},\"page\":{\"size\":7}}}",
                                      &it, &e),
             e);
    got = walk_ids(it, &pages);
    want[0] = '\0';
    join(want, ids, 0, N);
    CHECK_STR(got, want);
    CHECK(pages == 5);
    free(got);
    sunco_operation_iter_free(it);

    /* Refused when made: not a list, unknown, bad arguments. Nothing sent. */
    emu_clear_log();
    CHECK_ERROR(sunco_operation_iter_new(c, "GetApp", "{\"path\":{\"appId\":\"a\"}}", &it, &e), e, SUNCO_VALIDATION,
                "operationId");
    CHECK(it == NULL);
    CHECK_ERROR(sunco_operation_iter_new(c, "Nope", "{}", &it, &e), e, SUNCO_VALIDATION, "operationId");
    CHECK_ERROR(sunco_operation_iter_new(c, "ListMessages", "{\"path\":{\"appId\":\"a\"}}", &it, &e), e, SUNCO_VALIDATION,
                "conversationId");
    CHECK_ERROR(sunco_operation_iter_new(c, "ListApps", "{\"query\":{\"page\":{\"size\":101}}}", &it, &e), e,
                SUNCO_VALIDATION, "page.size");
    CHECK(log_count() == 0);
    /* An API error on a page; asking again asks again. */
    CHECK_OK(sunco_operation_iter_new(c, "ListMessages",
                                      "{\"path\":{\"appId\":\"demo-app\",\"conversationId\":\"5f1c6e4b3a2d1c0b9a8f7e6d\"}}",
                                      &it, &e),
             e);
    {
        char *page = NULL;
        CHECK_STATUS(sunco_operation_iter_next(it, &page, &e), SUNCO_NOT_FOUND, e);
        CHECK(page == NULL);
        sunco_error_free(e);
        CHECK_STATUS(sunco_operation_iter_next(it, &page, &e), SUNCO_NOT_FOUND, e);
        sunco_error_free(e);
        e = NULL;
    }
    sunco_operation_iter_free(it);
    for (i = 0; i < N; i++) free(ids[i]);
}

/* ListMessages on the emulator, whose pages hold 100 messages: 105 posted messages come back as
 * the latest 100 first, then the first 5, each page oldest first. */
static void test_walk_emulator_messages(const sunco_client *c) {
    enum { N = 105 };
    char *ids[N], path[256], args[512], want[N * 26 + 1], *got;
    sunco_operation_iter *it = NULL;
    sunco_error *e = NULL;
    json_value *conv;
    size_t i, pages;

    emu_reset();
    conv = call_ok(c, "CreateConversation", "{\"path\":{\"appId\":\"demo-app\"},\"body\":{\"type\":\"sdkGroup\"}}");
    snprintf(path, sizeof path, "\"path\":{\"appId\":\"demo-app\",\"conversationId\":\"%s\"}",
             json_string(json_get(json_get(conv, "conversation"), "id")) ? json_string(json_get(json_get(conv, "conversation"), "id"))
                                                                         : "?");
    json_free(conv);
    for (i = 0; i < N; i++) {
        json_value *sent;
        const char *id;
        snprintf(args, sizeof args,
                 "{%s,\"body\":{\"author\":{\"type\":\"business\"},\"content\":{\"type\":\"text\",\"text\":\"m%lu\"}}}", path,
                 (unsigned long)i);
        sent = call_ok(c, "PostMessage", args);
        id = json_string(json_get(json_at(json_get(sent, "messages"), 0), "id"));
        ids[i] = strdup(id ? id : "?");
        json_free(sent);
    }
    snprintf(args, sizeof args, "{%s}", path);
    CHECK_OK(sunco_operation_iter_new(c, "ListMessages", args, &it, &e), e);
    got = walk_ids(it, &pages);
    want[0] = '\0';
    join(want, ids, 5, N), join(want, ids, 0, 5);
    CHECK_STR(got, want);
    CHECK(pages == 2);
    free(got);
    sunco_operation_iter_free(it);
    for (i = 0; i < N; i++) free(ids[i]);
}

/* A local server that pages MESSAGES messages like the API's ListMessages: without a cursor
 * the latest `page[size]` (default 25); `page[before]` the ones just before the cursor;
 * `page[after]` the ones just after it. One request per connection (`Connection: close`). */
enum { MESSAGES = 25 };
typedef struct {
    int listen_fd, port, requests;
    char queries[8][256];
    pthread_t thread;
} pager_server;

static void message_id(char *out, size_t i) {
    snprintf(out, 25, "5f1c6e4b3a2d1c0b9a8f%04u", (unsigned)i);
}

/* The value of `key=` in a query (up to '&' or ' '), or NULL. */
static const char *query_value(const char *query, const char *key, char *buf, size_t cap) {
    const char *p = strstr(query, key);
    size_t n = 0;
    if (!p) return NULL;
    p += strlen(key);
    while (p[n] && p[n] != '&' && p[n] != ' ' && n + 1 < cap) n++;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

static size_t index_of(const char *id) {
    size_t i;
    char m[25];
    for (i = 0; i < MESSAGES; i++) {
        message_id(m, i);
        if (strcmp(m, id) == 0) return i;
    }
    return MESSAGES;
}

static void *pager_run(void *arg) {
    pager_server *s = arg;
    for (;;) {
        char head[4096], value[64], body[8192], reply[9000], query[256] = "";
        size_t len = 0, start, end, size = 25, i, blen;
        int fd = accept(s->listen_fd, NULL, NULL), more;
        const char *q, *sp;
        if (fd < 0) return NULL;
        while (len < sizeof head - 1) {
            ssize_t n = read(fd, head + len, sizeof head - 1 - len);
            if (n <= 0) break;
            len += (size_t)n;
            head[len] = '\0';
            if (strstr(head, "\r\n\r\n")) break;
        }
        head[len] = '\0';
        q = strchr(head, '?');
        sp = q ? strchr(q, ' ') : NULL;
        if (q && sp) snprintf(query, sizeof query, "%.*s", (int)(sp - q - 1), q + 1);
        if (s->requests < 8) snprintf(s->queries[s->requests], sizeof s->queries[0], "%s", query);
        s->requests++;
        if (query_value(query, "page[size]=", value, sizeof value)) size = (size_t)atoi(value);
        if (query_value(query, "page[after]=", value, sizeof value)) {
            start = index_of(value) + 1;
            end = start + size < MESSAGES ? start + size : MESSAGES;
            more = end < MESSAGES;
        } else {
            end = query_value(query, "page[before]=", value, sizeof value) ? index_of(value) : MESSAGES;
            start = end > size ? end - size : 0;
            more = start > 0;
        }
        blen = (size_t)snprintf(body, sizeof body, "{\"messages\":[");
        for (i = start; i < end; i++) {
            char id[25];
            message_id(id, i);
            blen += (size_t)snprintf(body + blen, sizeof body - blen, "%s{\"id\":\"%s\",\"author\":{\"type\":\"business\"}}",
                                     i > start ? "," : "", id);
        }
        {
            char first[25] = "", last[25] = "";
            if (end > start) message_id(first, start), message_id(last, end - 1);
            blen += (size_t)snprintf(body + blen, sizeof body - blen,
                                     "],\"meta\":{\"hasMore\":%s,\"beforeCursor\":\"%s\",\"afterCursor\":\"%s\"},\"links\":{}}",
                                     more ? "true" : "false", first, last);
        }
        len = (size_t)snprintf(reply, sizeof reply,
                               "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %lu\r\n"
                               "Connection: close\r\n\r\n%s",
                               (unsigned long)blen, body);
        for (i = 0; i < len;) {
            ssize_t w = write(fd, reply + i, len - i);
            if (w <= 0) break;
            i += (size_t)w;
        }
        close(fd);
    }
}

static void test_walk_messages(void) {
    pager_server s;
    struct sockaddr_in addr;
    socklen_t alen = sizeof addr;
    sunco_operation_iter *it = NULL;
    sunco_client *c;
    sunco_error *e = NULL;
    char url[64], *ids[MESSAGES], want[MESSAGES * 26 + 1], *got, expected_query[128];
    size_t i, pages;

    memset(&s, 0, sizeof s);
    s.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(s.listen_fd, (struct sockaddr *)&addr, sizeof addr) == 0);
    CHECK(listen(s.listen_fd, 8) == 0);
    CHECK(getsockname(s.listen_fd, (struct sockaddr *)&addr, &alen) == 0);
    s.port = ntohs(addr.sin_port);
    CHECK(pthread_create(&s.thread, NULL, pager_run, &s) == 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", s.port);
    c = client_for(url);
    for (i = 0; i < MESSAGES; i++) {
        ids[i] = malloc(25);
        message_id(ids[i], i);
    }

    /* Without a cursor ListMessages walks backward: the latest page first. */
    CHECK_OK(sunco_operation_iter_new(c, "ListMessages",
                                      "{\"path\":{\"appId\":\"app\",\"conversationId\":\"conv\"},\"query\":{\"page\":{"
                                      "\"size\":10}}}",
                                      &it, &e),
             e);
    CHECK_STR(sunco_operation_iter_items(it), "messages");
    got = walk_ids(it, &pages);
    want[0] = '\0';
    join(want, ids, 15, 25), join(want, ids, 5, 15), join(want, ids, 0, 5);
    CHECK_STR(got, want);
    CHECK(pages == 3 && s.requests == 3);
    CHECK_STR(s.queries[0], "page[size]=10");
    snprintf(expected_query, sizeof expected_query, "page[size]=10&page[before]=%s", ids[15]);
    CHECK_STR(s.queries[1], expected_query);
    free(got);
    sunco_operation_iter_free(it);

    /* From `after`: forward. */
    snprintf(expected_query, sizeof expected_query,
             "{\"path\":{\"appId\":\"app\",\"conversationId\":\"conv\"},\"query\":{\"page\":{\"after\":\"%s\",\"size\":2}}}",
             ids[19]);
    CHECK_OK(sunco_operation_iter_new(c, "ListMessages", expected_query, &it, &e), e);
    got = walk_ids(it, &pages);
    want[0] = '\0';
    join(want, ids, 20, 25);
    CHECK_STR(got, want);
    CHECK(pages == 3);
    free(got);
    sunco_operation_iter_free(it);

    sunco_client_free(c);
    shutdown(s.listen_fd, SHUT_RDWR);
    pthread_join(s.thread, NULL);
    close(s.listen_fd);
    for (i = 0; i < MESSAGES; i++) free(ids[i]);
}

/* ---------------------------------------------------------------- authorize_url */

static void test_authorize_url(const sunco_client *c) {
    char *out = NULL, want[256];
    sunco_error *e = NULL;
    emu_reset();
    CHECK_OK(sunco_authorize_url(c, "{\"client_id\":\"my app\",\"response_type\":\"code\",\"state\":\"a&b=c\"}", &out, &e),
             e);
    snprintf(want, sizeof want, "%s/oauth/authorize?client_id=my%%20app&response_type=code&state=a%%26b%%3Dc",
             emu_base_url());
    CHECK_STR(out, want);
    sunco_string_free(out);
    CHECK_ERROR(sunco_authorize_url(c, "{\"client_id\":\"x\"}", &out, &e), e, SUNCO_VALIDATION, "response_type");
    CHECK_ERROR(sunco_authorize_url(c, "{\"client_id\":\"x\",\"response_type\":\"code\",\"scope\":\"s\"}", &out, &e), e,
                SUNCO_VALIDATION, "scope");
    CHECK_ERROR(sunco_authorize_url(c, "[]", &out, &e), e, SUNCO_VALIDATION, "query");
    CHECK(out == NULL);
    CHECK(log_count() == 0);
}

int main(void) {
    sunco_client *c;
    emu_base_url();
    c = client_for(emu_base_url());
    test_call(c);
    test_bad_arguments(c);
    test_walk_conversations(c);
    test_walk_emulator_messages(c);
    test_walk_messages();
    test_authorize_url(c);
    sunco_client_free(c);
    printf("test_call: %d checks, %d failed\n", check_count, check_failures);
    return check_failures == 0 ? 0 : 1;
}
