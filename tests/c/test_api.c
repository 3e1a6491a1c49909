/* C tests of libconversations against the emulator: every operation, every error status,
 * iteration (both directions), threads, fork, proxies, deep and huge input, and bad arguments.
 * Run under scripts/with-emulator.sh. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "conversations.h"
#include "emu.h"
#include "json.h"

int check_failures = 0;
int check_count = 0;

static const char *APP = "demo-app";
static const char *UNKNOWN_ID = "5f1c6e4b3a2d1c0b9a8f7e6d";

/* A client for `base_url` with a key, no retries unless asked, and an optional timeout. */
static sunco_client *client_for(const char *base_url, const char *key_id, const char *secret,
                                uint32_t retries, uint64_t timeout_ms) {
    sunco_options *o = sunco_options_new();
    sunco_client *c = NULL;
    sunco_error *e = NULL;
    CHECK(o != NULL);
    CHECK_OK(sunco_options_set_base_url(o, base_url, &e), e);
    CHECK_OK(sunco_options_set_basic_auth(o, key_id, secret, &e), e);
    CHECK_OK(sunco_options_set_max_retries(o, retries, &e), e);
    if (timeout_ms) CHECK_OK(sunco_options_set_timeout_ms(o, timeout_ms, &e), e);
    CHECK_OK(sunco_client_new(o, &c, &e), e);
    sunco_error_free(e);
    sunco_options_free(o);
    return c;
}

static sunco_client *demo_client(uint32_t retries) {
    return client_for(emu_base_url(), "demo-key", "demo-secret", retries, 0);
}

/* Checks a failed call's error in full, then frees it. `code` and `field` NULL mean "none". */
static void check_error(int line, sunco_status got, sunco_error *err, sunco_status want,
                        int http_status, const char *code, const char *field) {
    const char *got_code = sunco_error_code(err), *got_field = sunco_error_field(err);
    check_count++;
    if (got != want || err == NULL || sunco_error_status(err) != want ||
        sunco_error_http_status(err) != http_status ||
        !(got_code == code || (got_code && code && strcmp(got_code, code) == 0)) ||
        !(got_field == field || (got_field && field && strcmp(got_field, field) == 0)) ||
        sunco_error_message(err) == NULL || sunco_error_message(err)[0] == '\0') {
        check_failures++;
        fprintf(stderr,
                "test_api.c:%d: got %s (http %u, code %s, field %s: %s), expected %s (http %d, code %s, "
                "field %s)\n",
                line, sunco_status_name(got), (unsigned)sunco_error_http_status(err),
                got_code ? got_code : "NULL", got_field ? got_field : "NULL",
                err ? sunco_error_message(err) : "no error object", sunco_status_name(want), http_status,
                code ? code : "NULL", field ? field : "NULL");
    }
    sunco_error_free(err);
}
/* The call runs first, then its error is read (function arguments have no set order). */
#define CHECK_ERROR(call, err, want, http, code, field)                  \
    do {                                                                 \
        sunco_status status_ = (call);                                   \
        check_error(__LINE__, status_, err, want, http, code, field);    \
    } while (0)

/* The number of requests in the emulator's log. */
static size_t log_count(void) {
    json_value *log = emu_log();
    size_t n = json_get(log, "requests")->count;
    json_free(log);
    return n;
}

/* Creates a conversation from `body`, returning the parsed result (NULL on failure). */
static json_value *create(const sunco_client *c, const char *body) {
    char *out = NULL;
    sunco_error *e = NULL;
    json_value *v = NULL;
    sunco_status st = sunco_conversations_create(c, APP, body, &out, &e);
    CHECK_OK(st, e);
    if (st == SUNCO_OK) v = json_parse_str(out);
    CHECK(v != NULL);
    sunco_string_free(out);
    sunco_error_free(e);
    return v;
}

static void test_version(void) {
    const char *v = sunco_version();
    CHECK(v != NULL && v[0] >= '0' && v[0] <= '9' && strchr(v, '.') != NULL);
    CHECK_STR(sunco_status_name(SUNCO_OK), "SUNCO_OK");
    CHECK_STR(sunco_status_name(SUNCO_NOT_FOUND), "SUNCO_NOT_FOUND");
    CHECK_STR(sunco_status_name(SUNCO_INTERNAL), "SUNCO_INTERNAL");
    CHECK_STR(sunco_status_name(12345), "SUNCO_UNKNOWN");
    CHECK(SUNCO_OK == 0);
}

static void test_operations(const sunco_client *c) {
    char *out = NULL, *alice = NULL, body[256];
    sunco_error *e = NULL;
    json_value *conv, *got, *log;
    const json_value *req;
    const char *id;

    emu_reset();
    alice = emu_user_id("alice");
    emu_clear_log();
    conv = create(c, "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"alice\"}],"
                     "\"displayName\":\"Support\",\"description\":\"Billing\",\"metadata\":{\"lang\":\"en\",\"n\":3}}");
    id = json_string(json_get(conv, "id"));
    CHECK(id != NULL && strlen(id) == 24);
    CHECK_STR(json_string(json_get(conv, "type")), "sdkGroup");
    CHECK_STR(json_string(json_get(conv, "displayName")), "Support");
    CHECK(json_get(json_get(conv, "metadata"), "n")->number == 3);

    /* The request went out as the binding names itself, with basic auth. */
    log = emu_log();
    req = json_at(json_get(log, "requests"), 0);
    CHECK(json_get(log, "requests")->count == 1);
    CHECK_STR(json_string(json_get(req, "method")), "POST");
    CHECK_STR(json_string(json_get(req, "auth")), "basic");
    CHECK(json_string(json_get(req, "userAgent")) && strstr(json_string(json_get(req, "userAgent")), " c/"));
    json_free(log);

    /* get: the server's JSON as sent, nulls included */
    CHECK_OK(sunco_conversations_get(c, APP, id, &out, &e), e);
    got = json_parse_str(out ? out : "");
    CHECK_STR(json_string(json_get(got, "id")), id);
    CHECK_STR(json_string(json_get(got, "description")), "Billing");
    CHECK(json_get(got, "businessLastRead") && json_get(got, "businessLastRead")->type == JSON_NULL);
    CHECK(out && strstr(out, "\"businessLastRead\":null") != NULL);
    json_free(got);
    sunco_string_free(out);

    /* list: one page */
    CHECK_OK(sunco_conversations_list(c, APP, "{\"filter\":{\"userExternalId\":\"alice\"},\"page\":{\"size\":10}}",
                                      &out, &e),
             e);
    got = json_parse_str(out ? out : "");
    CHECK(json_get(got, "conversations") && json_get(got, "conversations")->count == 1);
    CHECK_STR(json_string(json_get(json_at(json_get(got, "conversations"), 0), "id")), id);
    CHECK(json_get(json_get(got, "meta"), "hasMore") && !json_get(json_get(got, "meta"), "hasMore")->boolean);
    json_free(got);
    sunco_string_free(out);

    /* update: set one field, clear another (null), leave the rest */
    CHECK_OK(sunco_conversations_update(c, APP, id, "{\"displayName\":\"Renamed\",\"description\":null}", &out, &e), e);
    got = json_parse_str(out ? out : "");
    CHECK_STR(json_string(json_get(got, "displayName")), "Renamed");
    CHECK(json_get(got, "description") == NULL);
    CHECK_STR(json_string(json_get(json_get(got, "metadata"), "lang")), "en");
    json_free(got);
    sunco_string_free(out);

    /* download_message_ref */
    snprintf(body, sizeof body, "{\"userId\":\"%s\"}", alice);
    CHECK_OK(sunco_conversations_download_message_ref(c, APP, id, body, &out, &e), e);
    got = json_parse_str(out ? out : "");
    CHECK(got && got->type == JSON_OBJECT);
    json_free(got);
    sunco_string_free(out);

    /* delete, then it is gone: every accessor of a 404 */
    CHECK_OK(sunco_conversations_delete(c, APP, id, &e), e);
    CHECK_STATUS(sunco_conversations_get(c, APP, id, &out, &e), SUNCO_NOT_FOUND, e);
    CHECK(out == NULL);
    CHECK(sunco_error_status(e) == SUNCO_NOT_FOUND);
    CHECK(sunco_error_http_status(e) == 404);
    CHECK_STR(sunco_error_code(e), "conversation_not_found");
    CHECK(sunco_error_title(e) != NULL && sunco_error_title(e)[0] != '\0');
    CHECK(sunco_error_field(e) == NULL);
    CHECK(sunco_error_retry_after_ms(e) == -1);
    CHECK(sunco_error_request_id(e) != NULL && sunco_error_request_id(e)[0] != '\0');
    CHECK(strstr(sunco_error_message(e), "404") != NULL);
    sunco_error_free(e);
    /* No error object wanted: the status alone. */
    CHECK(sunco_conversations_delete(c, APP, id, NULL) == SUNCO_NOT_FOUND);

    json_free(conv);
    free(alice);
}

static void test_auth(void) {
    sunco_options *o;
    sunco_client *c = NULL;
    sunco_error *e = NULL;
    char *out = NULL, *secret;
    json_value *log;

    emu_reset();
    /* A JWT minted from the key is accepted and sent as a bearer token. */
    o = sunco_options_new();
    CHECK_OK(sunco_options_set_base_url(o, emu_base_url(), &e), e);
    CHECK_OK(sunco_options_set_jwt_auth(o, "demo-key", "demo-secret", &e), e);
    CHECK_OK(sunco_client_new(o, &c, &e), e);
    CHECK_ERROR(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), e, SUNCO_NOT_FOUND, 404,
                "conversation_not_found", NULL);
    log = emu_log();
    CHECK_STR(json_string(json_get(json_at(json_get(log, "requests"), 0), "auth")), "bearer");
    json_free(log);
    sunco_client_free(c);

    /* A bearer token the server does not know: 401. */
    CHECK_OK(sunco_options_set_bearer_token(o, "not-a-valid-token", &e), e);
    CHECK_OK(sunco_options_set_max_retries(o, 0, &e), e);
    CHECK_OK(sunco_client_new(o, &c, &e), e);
    CHECK_ERROR(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), e, SUNCO_API_ERROR, 401, "unauthorized", NULL);
    sunco_client_free(c);
    sunco_options_free(o);

    /* Wrong secret: 401. */
    c = client_for(emu_base_url(), "demo-key", "wrong-secret", 0, 0);
    CHECK_ERROR(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), e, SUNCO_API_ERROR, 401, "unauthorized", NULL);
    sunco_client_free(c);

    /* Another app's key: 403. */
    c = client_for(emu_base_url(), "other-key", "other-secret", 0, 0);
    CHECK_ERROR(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), e, SUNCO_API_ERROR, 403, "forbidden", NULL);
    sunco_client_free(c);

    /* An unknown app: 404 app_not_found. */
    c = demo_client(0);
    CHECK_ERROR(sunco_conversations_get(c, "no-such-app", UNKNOWN_ID, &out, &e), e, SUNCO_NOT_FOUND, 404,
                "app_not_found", NULL);
    sunco_client_free(c);

    /* From the environment (scripts/with-emulator.sh sets SUNCO_*). */
    CHECK_OK(sunco_client_new_from_env(&c, &e), e);
    CHECK_ERROR(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), e, SUNCO_NOT_FOUND, 404,
                "conversation_not_found", NULL);
    sunco_client_free(c);
    secret = strdup(getenv("SUNCO_KEY_SECRET"));
    unsetenv("SUNCO_KEY_SECRET");
    c = (sunco_client *)&c; /* any non-NULL value: it must be reset to NULL */
    CHECK_ERROR(sunco_client_new_from_env(&c, &e), e, SUNCO_CONFIG, 0, NULL, NULL);
    CHECK(c == NULL);
    setenv("SUNCO_KEY_SECRET", secret, 1);
    free(secret);
    CHECK(out == NULL);
}

static void test_config_errors(void) {
    sunco_options *o = sunco_options_new();
    sunco_client *c = NULL;
    sunco_error *e = NULL;

    /* No credentials. */
    CHECK_OK(sunco_options_set_base_url(o, emu_base_url(), &e), e);
    CHECK_ERROR(sunco_client_new(o, &c, &e), e, SUNCO_CONFIG, 0, NULL, NULL);
    CHECK(c == NULL);
    CHECK_OK(sunco_options_set_basic_auth(o, "demo-key", "demo-secret", &e), e);

    /* Plain http to a host that is not loopback. */
    CHECK_OK(sunco_options_set_base_url(o, "http://api.example.com", &e), e);
    CHECK_STATUS(sunco_client_new(o, &c, &e), SUNCO_CONFIG, e);
    CHECK(e && strstr(sunco_error_message(e), "loopback") != NULL);
    CHECK(e && strstr(sunco_error_message(e), "demo-secret") == NULL);
    sunco_error_free(e);

    /* A bad subdomain. */
    CHECK_OK(sunco_options_set_subdomain(o, "not a subdomain", &e), e);
    CHECK_ERROR(sunco_client_new(o, &c, &e), e, SUNCO_CONFIG, 0, NULL, NULL);

    /* An unknown region is refused at once and the options stay as they were. */
    CHECK_ERROR(sunco_options_set_region(o, "mars", &e), e, SUNCO_INVALID_ARGUMENT, 0, NULL, "region");
    CHECK_OK(sunco_options_set_region(o, "eu", &e), e);
    CHECK_OK(sunco_client_new(o, &c, &e), e); /* nothing is sent when a client is made */
    sunco_client_free(c);

    /* A zero timeout. */
    CHECK_OK(sunco_options_set_base_url(o, emu_base_url(), &e), e);
    CHECK_OK(sunco_options_set_timeout_ms(o, 0, &e), e);
    CHECK_ERROR(sunco_client_new(o, &c, &e), e, SUNCO_CONFIG, 0, NULL, NULL);
    CHECK_OK(sunco_options_set_timeout_ms(o, 5000, &e), e);
    CHECK_OK(sunco_options_set_connect_timeout_ms(o, 0, &e), e);
    CHECK_ERROR(sunco_client_new(o, &c, &e), e, SUNCO_CONFIG, 0, NULL, NULL);

    /* The largest timeouts are accepted and work. */
    CHECK_OK(sunco_options_set_timeout_ms(o, UINT64_MAX, &e), e);
    CHECK_OK(sunco_options_set_connect_timeout_ms(o, UINT64_MAX, &e), e);
    CHECK_OK(sunco_options_set_max_retries(o, UINT32_MAX, &e), e);
    CHECK_OK(sunco_client_new(o, &c, &e), e);
    {
        char *out = NULL;
        CHECK_ERROR(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), e, SUNCO_NOT_FOUND, 404,
                    "conversation_not_found", NULL);
    }
    sunco_client_free(c);
    sunco_options_free(o);
}

/* A loopback port where nobody listens: bind one, note it, close it. */
static int closed_port(void) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
    CHECK(getsockname(fd, (struct sockaddr *)&addr, &len) == 0);
    port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

static void test_failures(const sunco_client *c) {
    sunco_client *slow, *nowhere, *retrying;
    sunco_error *e = NULL;
    char *out = NULL, url[64];
    json_value *conv;
    const char *id;
    const char *rule = "{\"method\":\"GET\",\"path\":\"/v2/apps/*/conversations/*\",\"times\":%d,\"action\":%s}";
    char fault[512];

    emu_reset();
    conv = create(c, "{\"type\":\"sdkGroup\"}");
    id = json_string(json_get(conv, "id"));

    /* 429 with Retry-After */
    snprintf(fault, sizeof fault, rule, 1, "{\"type\":\"status\",\"status\":429,\"retryAfter\":\"1\"}");
    emu_fault(fault);
    CHECK_STATUS(sunco_conversations_get(c, APP, id, &out, &e), SUNCO_RATE_LIMITED, e);
    CHECK(sunco_error_retry_after_ms(e) == 1000);
    CHECK_ERROR(SUNCO_RATE_LIMITED, e, SUNCO_RATE_LIMITED, 429, "too_many_requests", NULL);

    /* 503 */
    snprintf(fault, sizeof fault, rule, 1, "{\"type\":\"status\",\"status\":503}");
    emu_fault(fault);
    CHECK_ERROR(sunco_conversations_get(c, APP, id, &out, &e), e, SUNCO_API_ERROR, 503, "service_unavailable", NULL);

    /* The connection closed without an answer */
    snprintf(fault, sizeof fault, rule, 1, "{\"type\":\"drop\"}");
    emu_fault(fault);
    CHECK_ERROR(sunco_conversations_get(c, APP, id, &out, &e), e, SUNCO_TRANSPORT, 0, NULL, NULL);

    /* 200 with a body that is not JSON */
    snprintf(fault, sizeof fault, rule, 1, "{\"type\":\"malformed\"}");
    emu_fault(fault);
    CHECK_ERROR(sunco_conversations_get(c, APP, id, &out, &e), e, SUNCO_DECODE, 200, NULL, NULL);

    /* 200 with a body cut short */
    snprintf(fault, sizeof fault, rule, 1, "{\"type\":\"truncated\"}");
    emu_fault(fault);
    CHECK_ERROR(sunco_conversations_get(c, APP, id, &out, &e), e, SUNCO_DECODE, 200, NULL, NULL);

    /* No answer within the timeout */
    slow = client_for(emu_base_url(), "demo-key", "demo-secret", 0, 300);
    snprintf(fault, sizeof fault, rule, 1, "{\"type\":\"delay\",\"ms\":3000}");
    emu_fault(fault);
    CHECK_ERROR(sunco_conversations_get(slow, APP, id, &out, &e), e, SUNCO_TIMEOUT, 0, NULL, NULL);
    sunco_client_free(slow);

    /* Nobody listening */
    snprintf(url, sizeof url, "http://127.0.0.1:%d", closed_port());
    nowhere = client_for(url, "demo-key", "demo-secret", 0, 0);
    CHECK_ERROR(sunco_conversations_get(nowhere, APP, id, &out, &e), e, SUNCO_TRANSPORT, 0, NULL, NULL);
    sunco_client_free(nowhere);

    /* Retries are the core's: two 503s, then the answer, all inside one call. */
    retrying = demo_client(3);
    snprintf(fault, sizeof fault, rule, 2, "{\"type\":\"status\",\"status\":503}");
    emu_fault(fault);
    emu_clear_log();
    CHECK_OK(sunco_conversations_get(retrying, APP, id, &out, &e), e);
    CHECK(out != NULL && strstr(out, id) != NULL);
    CHECK(log_count() == 3);
    sunco_string_free(out);
    sunco_client_free(retrying);

    /* Validation: refused before sending, with the field named */
    emu_clear_log();
    CHECK_ERROR(sunco_conversations_create(c, APP, "{\"type\":\"personal\"}", &out, &e), e, SUNCO_VALIDATION, 0, NULL,
                "participants");
    CHECK_ERROR(sunco_conversations_create(c, APP, "{\"type\":5}", &out, &e), e, SUNCO_VALIDATION, 0, NULL, "type");
    CHECK_ERROR(sunco_conversations_create(c, APP, "5", &out, &e), e, SUNCO_VALIDATION, 0, NULL, "body");
    CHECK_ERROR(sunco_conversations_update(c, APP, id, "{\"metadata\":{\"x\":{\"y\":1}}}", &out, &e), e,
                SUNCO_VALIDATION, 0, NULL, "metadata.x");
    CHECK_ERROR(sunco_conversations_list(c, APP, "{\"filter\":{\"userExternalId\":\"a\"},\"page\":{\"size\":0}}", &out,
                                         &e),
                e, SUNCO_VALIDATION, 0, NULL, "page.size");
    CHECK_ERROR(sunco_conversations_get(c, APP, "", &out, &e), e, SUNCO_VALIDATION, 0, NULL, "conversationId");
    CHECK_ERROR(sunco_conversations_download_message_ref(c, APP, id, "{}", &out, &e), e, SUNCO_VALIDATION, 0, NULL,
                "userId");
    CHECK_ERROR(sunco_conversations_download_message_ref(c, APP, id, "{\"userId\":\"\"}", &out, &e), e,
                SUNCO_VALIDATION, 0, NULL, "userId");
    CHECK(log_count() == 0);
    CHECK(out == NULL);

    json_free(conv);
}

static void test_bad_arguments(const sunco_client *c) {
    char sentinel = 'x', *out = &sentinel;
    sunco_error *e = NULL;
    sunco_conversation_iter *it = (sunco_conversation_iter *)&sentinel;
    const char *bad_utf8 = "demo-\xff\xfe";

    emu_reset();
#define BAD(call, param)                                                  \
    do {                                                                  \
        out = &sentinel;                                                  \
        CHECK_ERROR(call, e, SUNCO_INVALID_ARGUMENT, 0, NULL, param);     \
        CHECK(out == NULL || out == &sentinel);                           \
    } while (0)

    BAD(sunco_conversations_create(NULL, APP, "{}", &out, &e), "client");
    CHECK(out == NULL); /* out-parameters are cleared first */
    BAD(sunco_conversations_create(c, NULL, "{}", &out, &e), "app_id");
    BAD(sunco_conversations_create(c, bad_utf8, "{}", &out, &e), "app_id");
    BAD(sunco_conversations_create(c, APP, NULL, &out, &e), "body_json");
    BAD(sunco_conversations_create(c, APP, "{\"type\":", &out, &e), "body_json");
    BAD(sunco_conversations_create(c, APP, "{} trailing", &out, &e), "body_json");
    BAD(sunco_conversations_create(c, APP, "{\"type\":\"sdkGroup\"}", NULL, &e), "out_json");
    BAD(sunco_conversations_get(NULL, APP, "x", &out, &e), "client");
    BAD(sunco_conversations_get(c, APP, NULL, &out, &e), "conversation_id");
    BAD(sunco_conversations_get(c, APP, "\xc3\x28", &out, &e), "conversation_id");
    BAD(sunco_conversations_get(c, APP, "x", NULL, &e), "out_json");
    BAD(sunco_conversations_list(c, APP, NULL, &out, &e), "params_json");
    BAD(sunco_conversations_list(c, APP, "nope", &out, &e), "params_json");
    BAD(sunco_conversations_update(c, APP, NULL, "{}", &out, &e), "conversation_id");
    BAD(sunco_conversations_update(c, APP, "x", "{,}", &out, &e), "body_json");
    BAD(sunco_conversations_delete(c, NULL, "x", &e), "app_id");
    BAD(sunco_conversations_delete(NULL, APP, "x", &e), "client");
    BAD(sunco_conversations_download_message_ref(c, APP, "x", "\xff", &out, &e), "body_json");
    BAD(sunco_conversation_iter_new(c, APP, "{", &it, &e), "params_json");
    CHECK(it == NULL);
    BAD(sunco_conversation_iter_new(c, APP, "{}", NULL, &e), "out");
    BAD(sunco_conversation_iter_next(NULL, &out, &e), "iter");
    BAD(sunco_client_new(NULL, (sunco_client **)&it, &e), "options");
    BAD(sunco_client_new_from_env(NULL, &e), "out");
    BAD(sunco_options_set_base_url(NULL, "http://127.0.0.1:1", &e), "options");
    BAD(sunco_options_set_basic_auth(NULL, "k", "s", &e), "options");
    BAD(sunco_options_set_max_retries(NULL, 1, &e), "options");
    BAD(sunco_options_set_proxy(NULL, "http://127.0.0.1:1", &e), "options");
    {
        sunco_options *o = sunco_options_new();
        BAD(sunco_options_set_base_url(o, NULL, &e), "base_url");
        BAD(sunco_options_set_basic_auth(o, "k", NULL, &e), "secret");
        BAD(sunco_options_set_jwt_auth(o, NULL, "s", &e), "key_id");
        BAD(sunco_options_set_bearer_token(o, bad_utf8, &e), "token");
        BAD(sunco_options_set_region(o, NULL, &e), "region");
        BAD(sunco_options_set_subdomain(o, NULL, &e), "subdomain");
        BAD(sunco_options_set_proxy(o, NULL, &e), "proxy_url");
        BAD(sunco_options_set_proxy(o, bad_utf8, &e), "proxy_url");
        sunco_options_free(o);
    }
#undef BAD

    /* The message names the parameter and the problem. */
    CHECK_STATUS(sunco_conversations_get(c, bad_utf8, "x", &out, &e), SUNCO_INVALID_ARGUMENT, e);
    CHECK(e && strstr(sunco_error_message(e), "app_id") && strstr(sunco_error_message(e), "UTF-8"));
    sunco_error_free(e);
    CHECK_STATUS(sunco_conversations_list(c, APP, "{\"filter\":", &out, &e), SUNCO_INVALID_ARGUMENT, e);
    CHECK(e && strstr(sunco_error_message(e), "params_json") && strstr(sunco_error_message(e), "JSON"));
    sunco_error_free(e);

    /* err may be NULL; on success *err is set to NULL. */
    CHECK(sunco_conversations_get(c, NULL, "x", &out, NULL) == SUNCO_INVALID_ARGUMENT);
    e = (sunco_error *)&sentinel;
    CHECK_OK(sunco_conversations_list(c, APP, "{\"filter\":{\"userExternalId\":\"alice\"}}", &out, &e), NULL);
    CHECK(e == NULL);
    sunco_string_free(out);

    /* Every *_free accepts NULL; accessors accept NULL. */
    sunco_string_free(NULL);
    sunco_error_free(NULL);
    sunco_client_free(NULL);
    sunco_options_free(NULL);
    sunco_conversation_iter_free(NULL);
    CHECK(sunco_error_status(NULL) == SUNCO_OK);
    CHECK(sunco_error_http_status(NULL) == 0);
    CHECK(sunco_error_code(NULL) == NULL && sunco_error_title(NULL) == NULL && sunco_error_field(NULL) == NULL);
    CHECK(sunco_error_message(NULL) == NULL && sunco_error_request_id(NULL) == NULL);
    CHECK(sunco_error_retry_after_ms(NULL) == -1);

    /* Nothing above reached the server except the one good list. */
    CHECK(log_count() == 1);
}

static void test_iteration(const sunco_client *c) {
    sunco_client *short_lived = demo_client(0);
    sunco_conversation_iter *it = NULL;
    sunco_error *e = NULL;
    char *page = NULL, *ids[7];
    size_t sizes[8], pages = 0, seen = 0, i, j;
    json_value *log;
    int found;

    emu_reset();
    for (i = 0; i < 7; i++) {
        json_value *conv = create(c, "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"bob\"}]}");
        ids[i] = strdup(json_string(json_get(conv, "id")) ? json_string(json_get(conv, "id")) : "");
        json_free(conv);
    }
    emu_clear_log();

    /* One page per call; NULL when done, and again after that. The iterator outlives the
     * client it was made from. */
    CHECK_OK(sunco_conversation_iter_new(short_lived, APP,
                                         "{\"filter\":{\"userExternalId\":\"bob\"},\"page\":{\"size\":3}}", &it, &e),
             e);
    sunco_client_free(short_lived);
    CHECK(log_count() == 0);
    for (;;) {
        json_value *v;
        const json_value *convs;
        CHECK_OK(sunco_conversation_iter_next(it, &page, &e), e);
        if (page == NULL || pages >= 8) break;
        v = json_parse_str(page);
        convs = json_get(v, "conversations");
        sizes[pages++] = convs ? convs->count : 0;
        for (i = 0; convs && i < convs->count; i++) {
            const char *id = json_string(json_get(convs->items[i], "id"));
            for (j = 0, found = 0; j < 7; j++) found |= id && strcmp(id, ids[j]) == 0;
            CHECK(found);
            seen++;
        }
        json_free(v);
        sunco_string_free(page);
    }
    CHECK(pages == 3 && sizes[0] == 3 && sizes[1] == 3 && sizes[2] == 1);
    CHECK(seen == 7);
    page = (char *)&seen;
    CHECK_OK(sunco_conversation_iter_next(it, &page, &e), e);
    CHECK(page == NULL);
    sunco_conversation_iter_free(it);

    /* The core followed the cursor: three GETs, the later ones with page[after]. */
    log = emu_log();
    CHECK(json_get(log, "requests")->count == 3);
    for (i = 0; i < json_get(log, "requests")->count; i++) {
        const char *q = json_string(json_get(json_at(json_get(log, "requests"), i), "query"));
        CHECK(q != NULL && (i == 0) == (strstr(q, "after") == NULL));
    }
    json_free(log);

    /* A rule broken by the params: reported by next(), which can be called again. */
    CHECK_OK(sunco_conversation_iter_new(c, APP, "{\"filter\":{\"userExternalId\":\"bob\"},\"page\":{\"size\":0}}", &it,
                                         &e),
             e);
    CHECK_ERROR(sunco_conversation_iter_next(it, &page, &e), e, SUNCO_VALIDATION, 0, NULL, "page.size");
    CHECK_ERROR(sunco_conversation_iter_next(it, &page, &e), e, SUNCO_VALIDATION, 0, NULL, "page.size");
    CHECK(page == NULL);
    sunco_conversation_iter_free(it);
    /* The wrong shape: refused by iter_new. */
    CHECK_ERROR(sunco_conversation_iter_new(c, APP, "{\"filter\":5}", &it, &e), e, SUNCO_VALIDATION, 0, NULL, "filter");
    CHECK(it == NULL);
    /* An API error on a page. */
    CHECK_OK(sunco_conversation_iter_new(c, APP, "{\"filter\":{\"userExternalId\":\"nobody\"}}", &it, &e), e);
    CHECK_ERROR(sunco_conversation_iter_next(it, &page, &e), e, SUNCO_NOT_FOUND, 404, "user_not_found", NULL);
    sunco_conversation_iter_free(it);

    for (i = 0; i < 7; i++) free(ids[i]);
}

/* From `before`, the iterator walks backward: the page just before the cursor first, then the
 * one before it, ...; each page in the server's (ascending) order. */
static void test_backward_iteration(const sunco_client *c) {
    enum { N = 100 };
    char *ids[N], params[256], *page = NULL;
    sunco_conversation_iter *it = NULL;
    sunco_error *e = NULL;
    size_t pages = 0, i, seen = 0;
    int in_order = 1;
    json_value *log;

    emu_reset();
    for (i = 0; i < N; i++) {
        json_value *conv = create(c, "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"carol\"}]}");
        const char *id = json_string(json_get(conv, "id"));
        ids[i] = strdup(id ? id : "");
        json_free(conv);
    }
    for (i = 1; i < N; i++) in_order &= strcmp(ids[i - 1], ids[i]) < 0;
    CHECK(in_order); /* ids increase with creation */
    emu_clear_log();

    snprintf(params, sizeof params,
             "{\"filter\":{\"userExternalId\":\"carol\"},\"page\":{\"before\":\"%s\",\"size\":10}}", ids[50]);
    CHECK_OK(sunco_conversation_iter_new(c, APP, params, &it, &e), e);
    for (;;) {
        json_value *v;
        const json_value *convs;
        CHECK_OK(sunco_conversation_iter_next(it, &page, &e), e);
        if (page == NULL || pages >= 10) break;
        v = json_parse_str(page);
        convs = json_get(v, "conversations");
        /* page k holds ids[40 - 10k .. 49 - 10k], oldest first */
        CHECK(convs && convs->count == 10);
        for (i = 0; convs && i < convs->count && pages < 5; i++) {
            CHECK_STR(json_string(json_get(json_at(convs, i), "id")), ids[40 - 10 * pages + i]);
            seen++;
        }
        json_free(v);
        sunco_string_free(page);
        pages++;
    }
    CHECK(pages == 5);
    CHECK(seen == 50);
    sunco_conversation_iter_free(it);

    /* It followed meta.beforeCursor: page[before] = ids[50], ids[40], ..., ids[10]. */
    log = emu_log();
    CHECK(json_get(log, "requests")->count == 5);
    for (i = 0; i < json_get(log, "requests")->count && i < 5; i++) {
        const char *q = json_string(json_get(json_at(json_get(log, "requests"), i), "query"));
        char want[64];
        snprintf(want, sizeof want, "page[before]=%s", ids[50 - 10 * i]);
        CHECK(q != NULL && strstr(q, want) != NULL && strstr(q, "page[after]") == NULL);
    }
    json_free(log);
    for (i = 0; i < N; i++) free(ids[i]);
}

/* A string of `n` copies of `c`, malloc'd. */
static char *repeat(char c, size_t n) {
    char *s = malloc(n + 1);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* JSON text `prefix` + n x "[" + `middle` + n x "]" + `suffix` (closers only when `close`). */
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

/* Deep and huge JSON and ids: SUNCO_VALIDATION naming the field, nothing sent, no crash. */
static void test_deep_and_huge_input(const sunco_client *c) {
    sunco_conversation_iter *it = NULL;
    sunco_error *e = NULL;
    char *out = NULL, *text, *big;
    size_t i;
    /* 100,000 unclosed, 100,000 closed, and just past the limit inside a field. */
    struct {
        char *json;
        const char *field_prefix;
    } deep[4];

    emu_reset();
    deep[0].json = repeat('[', 100000), deep[0].field_prefix = "";
    deep[1].json = nested("", 100000, "1", 1, ""), deep[1].field_prefix = "";
    deep[2].json = nested("{\"type\":\"sdkGroup\",\"extra\":{\"x\":", 100000, "", 0, ""), deep[2].field_prefix = "extra";
    deep[3].json = nested("{\"type\":\"sdkGroup\",\"extra\":{\"x\":", 126, "1", 1, "}}"), deep[3].field_prefix = "extra";
    for (i = 0; i < 4; i++) {
        const char *field;
        CHECK_STATUS(sunco_conversations_create(c, APP, deep[i].json, &out, &e), SUNCO_VALIDATION, e);
        field = sunco_error_field(e);
        CHECK(field != NULL && field[0] != '\0' && strncmp(field, deep[i].field_prefix, strlen(deep[i].field_prefix)) == 0);
        CHECK(e && strstr(sunco_error_message(e), "128") != NULL);
        CHECK(out == NULL);
        sunco_error_free(e);
        CHECK_STATUS(sunco_conversations_update(c, APP, UNKNOWN_ID, deep[i].json, &out, &e), SUNCO_VALIDATION, e);
        sunco_error_free(e);
        CHECK_STATUS(sunco_conversations_list(c, APP, deep[i].json, &out, &e), SUNCO_VALIDATION, e);
        sunco_error_free(e);
        CHECK_STATUS(sunco_conversations_download_message_ref(c, APP, UNKNOWN_ID, deep[i].json, &out, &e),
                     SUNCO_VALIDATION, e);
        sunco_error_free(e);
        CHECK_STATUS(sunco_conversation_iter_new(c, APP, deep[i].json, &it, &e), SUNCO_VALIDATION, e);
        CHECK(it == NULL);
        sunco_error_free(e);
        free(deep[i].json);
    }
    /* One level less is accepted and sent: 127 levels (the body, extra, 125 arrays). */
    text = nested("{\"extra\":{\"x\":", 125, "1", 1, "}}");
    CHECK_ERROR(sunco_conversations_update(c, APP, UNKNOWN_ID, text, &out, &e), e, SUNCO_NOT_FOUND, 404,
                "conversation_not_found", NULL);
    free(text);
    CHECK(log_count() == 1);
    emu_clear_log();

    /* Huge: a 10 MB displayName, a body over 100 KB, ids and filters over 1024 bytes. */
    big = repeat('x', 10 * 1024 * 1024);
    text = malloc(strlen(big) + 64);
    sprintf(text, "{\"type\":\"sdkGroup\",\"displayName\":\"%s\"}", big);
    CHECK_ERROR(sunco_conversations_create(c, APP, text, &out, &e), e, SUNCO_VALIDATION, 0, NULL, "displayName");
    sprintf(text, "{\"type\":\"sdkGroup\",\"extra\":{\"blob\":\"%.*s\"}}", 200 * 1024, big);
    CHECK_ERROR(sunco_conversations_create(c, APP, text, &out, &e), e, SUNCO_VALIDATION, 0, NULL, "body");
    sprintf(text, "{\"filter\":{\"userExternalId\":\"%.*s\"}}", 1025, big);
    CHECK_ERROR(sunco_conversations_list(c, APP, text, &out, &e), e, SUNCO_VALIDATION, 0, NULL, "filter.userExternalId");
    big[1025] = '\0';
    CHECK_ERROR(sunco_conversations_get(c, APP, big, &out, &e), e, SUNCO_VALIDATION, 0, NULL, "conversationId");
    CHECK_ERROR(sunco_conversations_get(c, big, "x", &out, &e), e, SUNCO_VALIDATION, 0, NULL, "appId");
    big[1024] = '\0'; /* exactly the limit is fine */
    CHECK_ERROR(sunco_conversations_get(c, APP, big, &out, &e), e, SUNCO_NOT_FOUND, 404, "conversation_not_found", NULL);
    CHECK(log_count() == 1);
    free(text);
    free(big);
}

/* ---------------------------------------------------------------- local servers */

/* A one-connection server on 127.0.0.1 in its own thread: reads the request head, records it,
 * writes `reply` (NULL: nothing) and closes. Stands in for a proxy or a misbehaving server. */
typedef struct {
    int listen_fd;
    int port;
    const char *reply;
    char head[8192];
    size_t head_len;
    int accepted;
    pthread_t thread;
} one_shot;

static int listen_loopback(int *port) {
    struct sockaddr_in addr;
    socklen_t len = sizeof addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
    CHECK(listen(fd, 8) == 0);
    CHECK(getsockname(fd, (struct sockaddr *)&addr, &len) == 0);
    *port = ntohs(addr.sin_port);
    return fd;
}

static void *one_shot_run(void *arg) {
    one_shot *s = arg;
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0) return NULL; /* shut down without a connection */
    s->accepted = 1;
    while (s->head_len < sizeof s->head - 1) {
        ssize_t n = read(fd, s->head + s->head_len, sizeof s->head - 1 - s->head_len);
        if (n <= 0) break;
        s->head_len += (size_t)n;
        s->head[s->head_len] = '\0';
        if (strstr(s->head, "\r\n\r\n")) break;
    }
    if (s->reply) {
        size_t off = 0, n = strlen(s->reply);
        while (off < n) {
            ssize_t w = write(fd, s->reply + off, n - off);
            if (w <= 0) break;
            off += (size_t)w;
        }
    }
    close(fd);
    return NULL;
}

static void one_shot_start(one_shot *s, const char *reply) {
    memset(s, 0, sizeof *s);
    s->reply = reply;
    s->listen_fd = listen_loopback(&s->port);
    CHECK(pthread_create(&s->thread, NULL, one_shot_run, s) == 0);
}

/* Waits for the server thread (a pending accept is woken by the shutdown). */
static void one_shot_join(one_shot *s) {
    shutdown(s->listen_fd, SHUT_RDWR);
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
}

/* Whether `head` has a header line named `name` (case-insensitive). */
static int has_header(const char *head, const char *name) {
    const char *line = strstr(head, "\r\n");
    size_t n = strlen(name);
    while (line && line[2] != '\r' && line[2] != '\0') {
        const char *p = line + 2;
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)name[i])) i++;
        if (i == n && p[i] == ':') return 1;
        line = strstr(p, "\r\n");
    }
    return 0;
}

/* A body cut short, two ways: the emulator's `truncated` fault sends a complete HTTP answer
 * whose JSON stops in the middle (SUNCO_DECODE); a server that closes the connection before
 * the announced Content-Length arrived gives SUNCO_TRANSPORT. */
static void test_cut_bodies(const sunco_client *c) {
    one_shot s;
    sunco_client *direct;
    sunco_error *e = NULL;
    char *out = NULL, url[64];

    emu_reset();
    emu_fault("{\"method\":\"GET\",\"path\":\"/v2/apps/*/conversations/*\",\"action\":{\"type\":\"truncated\"}}");
    CHECK_ERROR(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), e, SUNCO_DECODE, 200, NULL, NULL);

    one_shot_start(&s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"
                       "{\"conversation\":{\"id\":\"5f1c6e4b3a2d1c0b9a8f7e6d\",");
    snprintf(url, sizeof url, "http://127.0.0.1:%d", s.port);
    direct = client_for(url, "demo-key", "demo-secret", 0, 0);
    CHECK_ERROR(sunco_conversations_get(direct, APP, UNKNOWN_ID, &out, &e), e, SUNCO_TRANSPORT, 0, NULL, NULL);
    CHECK(out == NULL);
    one_shot_join(&s);
    CHECK(s.accepted);
    sunco_client_free(direct);
}

/* sunco_options_set_proxy: https goes through it with CONNECT (the API's credentials never reach
 * it); a loopback base URL never uses a proxy, neither the option nor the environment. */
static void test_proxy(void) {
    static const char *vars[] = {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"};
    const char *token = "api-token-only-the-api-may-see";
    sunco_options *o = sunco_options_new();
    sunco_client *c = NULL;
    sunco_error *e = NULL;
    char *out = NULL, proxy_url[64];
    one_shot s;
    int idle_port, idle_fd, conn;
    size_t i;

    /* https through the proxy: it gets CONNECT host:443 and refuses; nothing else leaves. */
    one_shot_start(&s, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    snprintf(proxy_url, sizeof proxy_url, "http://127.0.0.1:%d", s.port);
    CHECK_OK(sunco_options_set_base_url(o, "https://sunco-proxy-test.invalid", &e), e);
    CHECK_OK(sunco_options_set_bearer_token(o, token, &e), e);
    CHECK_OK(sunco_options_set_max_retries(o, 0, &e), e);
    CHECK_OK(sunco_options_set_proxy(o, proxy_url, &e), e);
    CHECK_OK(sunco_client_new(o, &c, &e), e);
    CHECK_ERROR(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), e, SUNCO_TRANSPORT, 0, NULL, NULL);
    one_shot_join(&s);
    sunco_client_free(c);
    c = NULL;
    CHECK(s.accepted);
    CHECK(strncmp(s.head, "CONNECT sunco-proxy-test.invalid:443 HTTP/1.1\r\n", 47) == 0);
    CHECK(!has_header(s.head, "authorization"));
    CHECK(!has_header(s.head, "proxy-authorization"));
    CHECK(strstr(s.head, token) == NULL);

    /* An unusable proxy URL is a configuration error, also with a loopback base URL. */
    CHECK_OK(sunco_options_set_proxy(o, "socks5://127.0.0.1:1", &e), e);
    CHECK_ERROR(sunco_client_new(o, &c, &e), e, SUNCO_CONFIG, 0, NULL, NULL);
    CHECK(c == NULL);
    CHECK_OK(sunco_options_set_base_url(o, emu_base_url(), &e), e);
    CHECK_ERROR(sunco_client_new(o, &c, &e), e, SUNCO_CONFIG, 0, NULL, NULL);
    CHECK(c == NULL);

    /* Loopback: neither the option nor any proxy variable is used. A listener that is never
     * accepted from stands for the proxy: a connection to it would wait in its backlog. */
    idle_fd = listen_loopback(&idle_port);
    snprintf(proxy_url, sizeof proxy_url, "http://127.0.0.1:%d", idle_port);
    for (i = 0; i < sizeof vars / sizeof *vars; i++) setenv(vars[i], proxy_url, 1);
    unsetenv("NO_PROXY");
    unsetenv("no_proxy");
    CHECK_OK(sunco_options_set_base_url(o, emu_base_url(), &e), e);
    CHECK_OK(sunco_options_set_basic_auth(o, "demo-key", "demo-secret", &e), e);
    CHECK_OK(sunco_options_set_proxy(o, proxy_url, &e), e);
    CHECK_OK(sunco_client_new(o, &c, &e), e);
    emu_reset();
    CHECK_ERROR(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), e, SUNCO_NOT_FOUND, 404,
                "conversation_not_found", NULL);
    sunco_client_free(c);
    CHECK_OK(sunco_client_new_from_env(&c, &e), e);
    CHECK_ERROR(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), e, SUNCO_NOT_FOUND, 404,
                "conversation_not_found", NULL);
    sunco_client_free(c);
    CHECK(log_count() == 2);
    fcntl(idle_fd, F_SETFL, O_NONBLOCK);
    conn = accept(idle_fd, NULL, NULL);
    CHECK(conn < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)); /* nobody connected to the proxy */
    if (conn >= 0) close(conn);
    close(idle_fd);
    for (i = 0; i < sizeof vars / sizeof *vars; i++) unsetenv(vars[i]);
    sunco_options_free(o);
}

/* ---------------------------------------------------------------- threads */

typedef struct {
    const sunco_client *client;
    int index;
    int failures;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    char body[256], *out = NULL, *id = NULL;
    sunco_error *e = NULL;
    json_value *v;
    snprintf(body, sizeof body,
             "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"carol\"}],\"displayName\":\"thread-%d\"}",
             w->index);
    if (sunco_conversations_create(w->client, APP, body, &out, &e) != SUNCO_OK) {
        w->failures++;
        fprintf(stderr, "thread %d: create: %s\n", w->index, sunco_error_message(e));
        sunco_error_free(e);
        return NULL;
    }
    v = json_parse_str(out);
    id = strdup(json_string(json_get(v, "id")) ? json_string(json_get(v, "id")) : "?");
    json_free(v);
    sunco_string_free(out);

    snprintf(body, sizeof body, "\"displayName\":\"thread-%d\"", w->index);
    if (sunco_conversations_get(w->client, APP, id, &out, &e) != SUNCO_OK || !strstr(out, body)) w->failures++;
    sunco_string_free(out);
    snprintf(body, sizeof body, "{\"displayName\":\"thread-%d-updated\"}", w->index);
    if (sunco_conversations_update(w->client, APP, id, body, &out, &e) != SUNCO_OK) w->failures++;
    sunco_string_free(out);
    if (sunco_conversations_list(w->client, APP, "{\"filter\":{\"userExternalId\":\"carol\"}}", &out, &e) != SUNCO_OK)
        w->failures++;
    sunco_string_free(out);
    if (w->failures) fprintf(stderr, "thread %d: %s\n", w->index, sunco_error_message(e));
    sunco_error_free(e);
    free(id);
    return NULL;
}

static void test_threads(const sunco_client *c) {
    enum { N = 8 };
    pthread_t threads[N];
    worker workers[N];
    char *out = NULL, name[32];
    sunco_error *e = NULL;
    json_value *page;
    const json_value *convs;
    int i;
    size_t k;

    emu_reset();
    for (i = 0; i < N; i++) {
        workers[i].client = c;
        workers[i].index = i;
        workers[i].failures = 0;
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    for (i = 0; i < N; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(workers[i].failures == 0);
    }
    CHECK_OK(sunco_conversations_list(c, APP, "{\"filter\":{\"userExternalId\":\"carol\"},\"page\":{\"size\":100}}",
                                      &out, &e),
             e);
    page = json_parse_str(out ? out : "");
    convs = json_get(page, "conversations");
    CHECK(convs && convs->count == N);
    for (i = 0; i < N; i++) {
        int found = 0;
        snprintf(name, sizeof name, "thread-%d-updated", i);
        for (k = 0; convs && k < convs->count; k++) {
            const char *dn = json_string(json_get(convs->items[k], "displayName"));
            found |= dn && strcmp(dn, name) == 0;
        }
        CHECK(found);
    }
    json_free(page);
    sunco_string_free(out);
}

/* After fork() the child gets a runtime of its own (the parent's threads did not survive),
 * and a client or iterator the parent made fails at once instead of stalling until its timeout.
 * Skipped when SUNCO_TEST_SKIP_FORK is set (the valgrind run): in the child, memory that only
 * the parent's runtime threads pointed to looks "definitely lost" to memcheck, because those
 * threads do not exist there. The native run covers it. */
static void test_fork(const sunco_client *c) {
    char *out = NULL;
    int status = -1;
    pid_t pid;
    sunco_conversation_iter *it = NULL;
    /* A pooled connection and an iterator, both the parent's. */
    CHECK_STATUS(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, NULL), SUNCO_NOT_FOUND, NULL);
    CHECK_OK(sunco_conversation_iter_new(c, APP, "{\"filter\":{\"userExternalId\":\"alice\"}}", &it, NULL), NULL);
    pid = fork();
    if (pid == 0) {
        sunco_client *child;
        sunco_error *e = NULL;
        sunco_status st;
        int failures_before = check_failures; /* the parent's count came along */
        /* A regression would stall for the client's timeout (30 s): the alarm bounds it. */
        alarm(20);
        /* The parent's client and iterator: refused at once, naming the handle. */
        CHECK_STATUS(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, &e), SUNCO_INVALID_ARGUMENT, e);
        CHECK_STR(sunco_error_field(e), "client");
        CHECK_STR(sunco_error_message(e),
                  "this client was created in another process (before fork); create a new client in the child");
        sunco_error_free(e);
        CHECK_STATUS(sunco_conversations_create(c, APP, "{\"type\":\"sdkGroup\"}", &out, &e), SUNCO_INVALID_ARGUMENT, e);
        sunco_error_free(e);
        {
            sunco_conversation_iter *other = NULL;
            CHECK_STATUS(sunco_conversation_iter_new(c, APP, "{\"filter\":{\"userExternalId\":\"alice\"}}", &other, &e),
                         SUNCO_INVALID_ARGUMENT, e);
            CHECK(other == NULL);
            sunco_error_free(e);
        }
        CHECK_STATUS(sunco_conversation_iter_next(it, &out, &e), SUNCO_INVALID_ARGUMENT, e);
        CHECK_STR(sunco_error_field(e), "iter");
        sunco_error_free(e);
        CHECK(out == NULL);
        /* A client of its own works. */
        child = demo_client(0);
        st = sunco_conversations_get(child, APP, UNKNOWN_ID, &out, &e);
        if (st != SUNCO_NOT_FOUND) fprintf(stderr, "child: %s: %s\n", sunco_status_name(st), sunco_error_message(e));
        sunco_error_free(e);
        sunco_client_free(child);
        /* The child may free its copies of the parent's handles. */
        sunco_conversation_iter_free(it);
        _exit(st == SUNCO_NOT_FOUND && check_failures == failures_before ? 0 : 1);
    }
    /* The parent's iterator is unaffected. */
    CHECK_OK(sunco_conversation_iter_next(it, &out, NULL), NULL);
    sunco_string_free(out);
    sunco_conversation_iter_free(it);
    CHECK(pid > 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* The parent's runtime still works. */
    CHECK_STATUS(sunco_conversations_get(c, APP, UNKNOWN_ID, &out, NULL), SUNCO_NOT_FOUND, NULL);
}

int main(void) {
    sunco_client *c;
    emu_base_url();
    test_version();
    c = demo_client(0);
    test_operations(c);
    test_auth();
    test_config_errors();
    test_failures(c);
    test_bad_arguments(c);
    test_iteration(c);
    test_backward_iteration(c);
    test_deep_and_huge_input(c);
    test_cut_bodies(c);
    test_proxy();
    test_threads(c);
    if (!getenv("SUNCO_TEST_SKIP_FORK")) test_fork(c);
    sunco_client_free(c);
    printf("test_api: %d checks, %d failed\n", check_count, check_failures);
    return check_failures == 0 ? 0 : 1;
}
