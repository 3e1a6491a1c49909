/* sunco_webhook_parse: every event type of a file of webhook bodies (tests/webhooks/
 * emulated_events.json when the emulator's are there, else the spec's examples) is accepted by
 * its typed model and given back exactly as sent; each refusal gives its own status, HTTP status and
 * code; and the cost of one parse is measured.
 * Usage: test_webhooks [EVENTS_JSON]   (no emulator needed) */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "conversations.h"
#include "json.h"

int check_failures = 0;
int check_count = 0;

#define SECRET "whsec_0123456789abcdef"

static const char *const KEY_NAME[] = {"Content-Type", "x-api-key"};
static const char *const KEY_VALUE[] = {"application/json", SECRET};

/* Parses `body` with the right secret; returns the status, the payload in *out. */
static sunco_status parse(const char *body, size_t len, char **out, sunco_error **err) {
    return sunco_webhook_parse(SECRET, (const uint8_t *)body, len, KEY_NAME, KEY_VALUE, 2, out, err);
}

/* One body per event type: accepted, and given back byte for byte as sent. */
static size_t check_bodies(const json_value *bodies) {
    size_t i, n = 0;
    for (i = 0; bodies && i < bodies->count; i++) {
        const json_value *v = bodies->items[i];
        const json_value *list = v->type == JSON_ARRAY ? v : NULL;
        size_t j, m = list ? list->count : 1;
        for (j = 0; j < m; j++) {
            const json_value *body = list ? list->items[j] : v;
            char *text = json_raw_dup(body), *out = NULL;
            sunco_error *err = NULL;
            json_value *got;
            const char *want_type = bodies->type == JSON_OBJECT ? bodies->keys[i] : NULL;
            size_t k;
            sunco_status s = parse(text, strlen(text), &out, &err);
            CHECK_OK(s, err);
            got = json_parse_str(out ? out : "null");
            if (!json_equal(got, body) || !out || strcmp(out, text) != 0) {
                fprintf(stderr, "event %s: written back differently\n  sent: %.300s\n  got:  %.300s\n",
                        want_type ? want_type : "?", text, out ? out : "(none)");
                check_failures++;
            }
            for (k = 0; want_type && k < json_get(got, "events")->count; k++) {
                CHECK_STR(json_string(json_get(json_at(json_get(got, "events"), k), "type")), want_type);
            }
            json_free(got);
            sunco_string_free(out);
            sunco_error_free(err);
            free(text);
            n++;
        }
    }
    return n;
}

/* A refused request: status, HTTP status to answer, code, and nothing written. */
static void refused(const char *what, sunco_status s, char *out, sunco_error *err, sunco_status want, unsigned http,
                    const char *code) {
    CHECK_STATUS(s, want, err);
    CHECK(out == NULL);
    CHECK(err != NULL);
    if (http) CHECK(sunco_error_http_status(err) == http);
    if (code) CHECK_STR(sunco_error_code(err), code);
    if (sunco_error_message(err) && strstr(sunco_error_message(err), SECRET)) {
        fprintf(stderr, "%s: the message shows the secret\n", what);
        check_failures++;
    }
    sunco_string_free(out);
    sunco_error_free(err);
}

static void check_refusals(void) {
    const char *ok = "{\"events\":[{\"type\":\"conversation:typing\",\"payload\":{}}]}";
    const char *names2[] = {"X-API-Key", "x-api-key"}, *values2[] = {SECRET, SECRET};
    const char *wrong_v[] = {"whsec_0123456789abcdeX"}, *short_v[] = {"whsec"}, *upper[] = {"X-API-KEY"};
    const char *nulls[] = {NULL};
    char *out = NULL, *big;
    sunco_error *err = NULL;
    sunco_status s;
    size_t big_len = 1024 * 1024 + 1;

    /* The header name in any case; nothing else needed. */
    s = sunco_webhook_parse(SECRET, (const uint8_t *)ok, strlen(ok), upper, KEY_VALUE + 1, 1, &out, &err);
    CHECK_OK(s, err);
    CHECK(out != NULL && strstr(out, "conversation:typing") != NULL);
    sunco_string_free(out);
    sunco_error_free(err);

    s = sunco_webhook_parse(SECRET, (const uint8_t *)ok, strlen(ok), NULL, NULL, 0, &out, &err);
    refused("no header", s, out, err, SUNCO_WEBHOOK_UNAUTHORIZED, 401, "missing_secret");
    s = sunco_webhook_parse(SECRET, (const uint8_t *)ok, strlen(ok), KEY_NAME, KEY_VALUE, 1, &out, &err);
    refused("only Content-Type", s, out, err, SUNCO_WEBHOOK_UNAUTHORIZED, 401, "missing_secret");
    s = sunco_webhook_parse(SECRET, (const uint8_t *)ok, strlen(ok), upper, wrong_v, 1, &out, &err);
    refused("wrong secret", s, out, err, SUNCO_WEBHOOK_UNAUTHORIZED, 401, "wrong_secret");
    s = sunco_webhook_parse(SECRET, (const uint8_t *)ok, strlen(ok), upper, short_v, 1, &out, &err);
    refused("a prefix of the secret", s, out, err, SUNCO_WEBHOOK_UNAUTHORIZED, 401, "wrong_secret");
    s = sunco_webhook_parse(SECRET, (const uint8_t *)ok, strlen(ok), names2, values2, 2, &out, &err);
    refused("the header twice", s, out, err, SUNCO_WEBHOOK_UNAUTHORIZED, 401, "wrong_secret");
    /* The secret is checked before the body is looked at. */
    s = sunco_webhook_parse(SECRET, (const uint8_t *)"{", 1, upper, wrong_v, 1, &out, &err);
    refused("wrong secret, bad body", s, out, err, SUNCO_WEBHOOK_UNAUTHORIZED, 401, "wrong_secret");

    s = parse("{", 1, &out, &err);
    refused("not JSON", s, out, err, SUNCO_WEBHOOK_MALFORMED, 400, "malformed");
    s = parse("[]", 2, &out, &err);
    refused("not an object", s, out, err, SUNCO_WEBHOOK_MALFORMED, 400, "malformed");
    s = parse("{\"events\":{}}", 13, &out, &err);
    CHECK_STR(sunco_error_field(err), "events");
    refused("events not an array", s, out, err, SUNCO_WEBHOOK_MALFORMED, 400, "malformed");
    {
        const char *bad = "{\"events\":[{\"type\":\"conversation:create\",\"payload\":{\"conversation\":7}}]}";
        s = parse(bad, strlen(bad), &out, &err);
        CHECK_STR(sunco_error_field(err), "events[0].payload.conversation");
        refused("a field of the wrong shape", s, out, err, SUNCO_WEBHOOK_MALFORMED, 400, "malformed");
    }
    /* A body with a NUL byte inside is just bytes: not JSON. */
    s = parse("{\"a\":\0}", 7, &out, &err);
    refused("a NUL byte", s, out, err, SUNCO_WEBHOOK_MALFORMED, 400, "malformed");

    big = malloc(big_len);
    memset(big, ' ', big_len);
    big[0] = '{';
    big[big_len - 1] = '}';
    s = parse(big, big_len, &out, &err);
    refused("over 1 MiB", s, out, err, SUNCO_WEBHOOK_TOO_LARGE, 413, "too_large");
    s = parse(big, big_len - 1, &out, &err); /* at the limit: parsed (and malformed: no closing brace) */
    refused("at the limit", s, out, err, SUNCO_WEBHOOK_MALFORMED, 400, "malformed");
    free(big);

    /* The C call itself. */
    s = sunco_webhook_parse(NULL, (const uint8_t *)ok, strlen(ok), KEY_NAME, KEY_VALUE, 2, &out, &err);
    CHECK_STR(sunco_error_field(err), "secret");
    refused("NULL secret", s, out, err, SUNCO_INVALID_ARGUMENT, 0, NULL);
    s = sunco_webhook_parse("", (const uint8_t *)ok, strlen(ok), KEY_NAME, KEY_VALUE, 2, &out, &err);
    refused("empty secret", s, out, err, SUNCO_CONFIG, 0, NULL);
    s = sunco_webhook_parse(SECRET, NULL, 5, KEY_NAME, KEY_VALUE, 2, &out, &err);
    CHECK_STR(sunco_error_field(err), "body");
    refused("NULL body", s, out, err, SUNCO_INVALID_ARGUMENT, 0, NULL);
    s = sunco_webhook_parse(SECRET, NULL, 0, KEY_NAME, KEY_VALUE, 2, &out, &err);
    refused("empty body", s, out, err, SUNCO_WEBHOOK_MALFORMED, 400, "malformed");
    s = sunco_webhook_parse(SECRET, (const uint8_t *)ok, strlen(ok), NULL, KEY_VALUE, 2, &out, &err);
    CHECK_STR(sunco_error_field(err), "header_names");
    refused("NULL names", s, out, err, SUNCO_INVALID_ARGUMENT, 0, NULL);
    s = sunco_webhook_parse(SECRET, (const uint8_t *)ok, strlen(ok), KEY_NAME, NULL, 2, &out, &err);
    CHECK_STR(sunco_error_field(err), "header_values");
    refused("NULL values", s, out, err, SUNCO_INVALID_ARGUMENT, 0, NULL);
    s = sunco_webhook_parse(SECRET, (const uint8_t *)ok, strlen(ok), upper, nulls, 1, &out, &err);
    CHECK_STR(sunco_error_field(err), "header_values");
    refused("a NULL value", s, out, err, SUNCO_INVALID_ARGUMENT, 0, NULL);
    s = sunco_webhook_parse(SECRET, (const uint8_t *)ok, strlen(ok), KEY_NAME, KEY_VALUE, 2, NULL, &err);
    CHECK_STR(sunco_error_field(err), "out_payload_json");
    refused("NULL out", s, NULL, err, SUNCO_INVALID_ARGUMENT, 0, NULL);
    /* err may be NULL: the status alone. */
    CHECK(parse("{", 1, &out, NULL) == SUNCO_WEBHOOK_MALFORMED && out == NULL);

    /* An event type the library does not know is kept whole, as sent. */
    {
        const char *unknown = "{\"events\":[{\"id\":\"e1\",\"type\":\"conversation:future\",\"payload\":{\"x\":[1,{\"y\":null}]}}]}";
        json_value *want = json_parse_str(unknown), *got;
        s = parse(unknown, strlen(unknown), &out, &err);
        CHECK_OK(s, err);
        got = json_parse_str(out ? out : "null");
        CHECK(json_equal(want, got));
        json_free(want);
        json_free(got);
        sunco_string_free(out);
        sunco_error_free(err);
    }
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "tests/webhooks/spec_examples.json";
    size_t len = 0, n;
    char *text = json_read_file(path, &len);
    json_value *doc = text ? json_parse(text, len, NULL) : NULL;
    const json_value *bodies = json_get(doc, "examples") ? json_get(doc, "examples") : json_get(doc, "events");
    const char *iterations = getenv("SUNCO_WEBHOOK_BENCH");

    if (!bodies) bodies = doc;
    if (!doc) {
        fprintf(stderr, "test_webhooks: cannot read %s\n", path);
        return 2;
    }
    n = check_bodies(bodies);
    if (bodies->type == JSON_OBJECT && bodies->count < 25) {
        fprintf(stderr, "test_webhooks: only %lu event types in %s (25 expected)\n", (unsigned long)bodies->count, path);
        check_failures++;
    }
    check_refusals();

    /* The cost of one parse of a `conversation:message` body (SUNCO_WEBHOOK_BENCH=N iterations). */
    if (iterations && json_get(bodies, "conversation:message")) {
        const json_value *msg = json_get(bodies, "conversation:message");
        char *body = json_raw_dup(msg->type == JSON_ARRAY ? json_at(msg, 0) : msg);
        long i, count = strtol(iterations, NULL, 10);
        double start = now_us();
        for (i = 0; i < count; i++) {
            char *out = NULL;
            if (parse(body, strlen(body), &out, NULL) != SUNCO_OK) check_failures++;
            sunco_string_free(out);
        }
        printf("test_webhooks: %.1f us per conversation:message parse (%ld parses, %lu bytes, out JSON included)\n",
               (now_us() - start) / (double)count, count, (unsigned long)strlen(body));
        free(body);
    }
    printf("test_webhooks: %lu bodies from %s, %d checks, %d failed\n", (unsigned long)n, path, check_count,
           check_failures);
    json_free(doc);
    free(text);
    return check_failures == 0 ? 0 : 1;
}
