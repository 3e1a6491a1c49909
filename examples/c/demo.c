/* demo.c: a tour of libconversations, the C interface of sunco.
 *
 * Build against an installed library:
 *     cc demo.c $(pkg-config --cflags --libs conversations) -o demo
 * Run it against the emulator (`make demo-c` does both) or set
 * SUNCO_BASE_URL, SUNCO_KEY_ID, SUNCO_KEY_SECRET and SUNCO_APP_ID. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <conversations.h>

static const char *env_or(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return value && *value ? value : fallback;
}

/* Prints what went wrong and frees the error. Returns 1 so callers can `return fail(...)`. */
static int fail(const char *what, sunco_status status, sunco_error *err) {
    fprintf(stderr, "%s failed: %s: %s\n", what, sunco_status_name(status),
            err ? sunco_error_message(err) : "(no details)");
    sunco_error_free(err);
    return 1;
}

/* Copies the string value of the first `"key":"..."` in `json` into `out`.
 * A real program would use a JSON library (jansson, cJSON, ...); this is just enough for
 * the demo, whose results always start with the conversation's "id". */
static int find_string(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    const char *start, *end;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    start = strstr(json, pattern);
    if (!start) return 0;
    start += strlen(pattern);
    end = strchr(start, '"');
    if (!end || (size_t)(end - start) >= size) return 0;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 1;
}

int main(void) {
    const char *base_url = env_or("SUNCO_BASE_URL", "http://127.0.0.1:8080");
    const char *key_id = env_or("SUNCO_KEY_ID", "demo-key");
    const char *secret = env_or("SUNCO_KEY_SECRET", "demo-secret");
    const char *app_id = env_or("SUNCO_APP_ID", "demo-app");
    sunco_options *options;
    sunco_client *client = NULL;
    sunco_conversation_iter *pages = NULL;
    sunco_operation_iter *messages = NULL;
    sunco_error *err = NULL;
    sunco_status status;
    char *json = NULL, *page = NULL, id[64], args[512];
    int n;

    printf("libconversations %s, talking to %s\n", sunco_version(), base_url);

    /* 1. Configure a client. It is thread-safe: make one and share it. */
    options = sunco_options_new();
    if (!options) return 1;
    if ((status = sunco_options_set_base_url(options, base_url, &err)) != SUNCO_OK ||
        (status = sunco_options_set_basic_auth(options, key_id, secret, &err)) != SUNCO_OK ||
        (status = sunco_options_set_timeout_ms(options, 10000, &err)) != SUNCO_OK ||
        (status = sunco_client_new(options, &client, &err)) != SUNCO_OK) {
        sunco_options_free(options);
        return fail("configuration", status, err);
    }
    sunco_options_free(options); /* the client keeps what it needs */

    /* 2. Create a group conversation. Bodies are JSON text in the API's own (wire) form. */
    status = sunco_conversations_create(
        client, app_id,
        "{\"type\":\"sdkGroup\","
        "\"participants\":[{\"userExternalId\":\"alice\"},{\"userExternalId\":\"bob\"}],"
        "\"displayName\":\"Support\",\"description\":\"Billing questions\","
        "\"metadata\":{\"priority\":3,\"vip\":true}}",
        &json, &err);
    if (status != SUNCO_OK) return fail("create", status, err);
    printf("created: %s\n", json);
    if (!find_string(json, "id", id, sizeof id)) {
        sunco_string_free(json);
        return 1;
    }
    sunco_string_free(json); /* every string the library hands out is freed with this */

    /* 3. Fetch it back. */
    status = sunco_conversations_get(client, app_id, id, &json, &err);
    if (status != SUNCO_OK) return fail("get", status, err);
    printf("fetched: %s\n", json);
    sunco_string_free(json);

    /* 4. Walk alice's conversations, two per page: one page per call, NULL at the end. */
    for (n = 0; n < 2; n++) {
        status = sunco_conversations_create(
            client, app_id, "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"alice\"}]}", &json, &err);
        if (status != SUNCO_OK) return fail("create", status, err);
        sunco_string_free(json);
    }
    status = sunco_conversation_iter_new(client, app_id,
                                         "{\"filter\":{\"userExternalId\":\"alice\"},\"page\":{\"size\":2}}", &pages, &err);
    if (status != SUNCO_OK) return fail("iterate", status, err);
    for (n = 1;; n++) {
        status = sunco_conversation_iter_next(pages, &page, &err);
        if (status != SUNCO_OK) {
            sunco_conversation_iter_free(pages);
            return fail("next page", status, err);
        }
        if (page == NULL) break; /* no more pages */
        printf("page %d: %.150s%s\n", n, page, strlen(page) > 150 ? "..." : "");
        sunco_string_free(page);
    }
    sunco_conversation_iter_free(pages);

    /* 5. Update: a value sets a field, null clears it, a missing key leaves it alone. */
    status = sunco_conversations_update(client, app_id, id, "{\"displayName\":\"Billing\",\"description\":null}",
                                        &json, &err);
    if (status != SUNCO_OK) return fail("update", status, err);
    printf("updated: %s\n", json);
    sunco_string_free(json);

    /* 6. Any operation of the API by its operationId, with {"path","query","body"} as JSON:
     *    post two messages, then walk the conversation's messages (ListMessages goes backward:
     *    the latest page first, each page oldest first). */
    for (n = 1; n <= 2; n++) {
        snprintf(args, sizeof args,
                 "{\"path\":{\"appId\":\"%s\",\"conversationId\":\"%s\"},"
                 "\"body\":{\"author\":{\"type\":\"business\"},\"content\":{\"type\":\"text\",\"text\":\"Hello %d\"}}}",
                 app_id, id, n);
        status = sunco_call(client, "PostMessage", args, &json, &err);
        if (status != SUNCO_OK) return fail("PostMessage", status, err);
        printf("posted: %.120s%s\n", json, strlen(json) > 120 ? "..." : "");
        sunco_string_free(json);
    }
    snprintf(args, sizeof args, "{\"path\":{\"appId\":\"%s\",\"conversationId\":\"%s\"}}", app_id, id);
    status = sunco_operation_iter_new(client, "ListMessages", args, &messages, &err);
    if (status != SUNCO_OK) return fail("ListMessages", status, err);
    while ((status = sunco_operation_iter_next(messages, &page, &err)) == SUNCO_OK && page) {
        /* {"messages":[...],"meta":{...},"links":{...}}; the records are under "messages" */
        printf("%s page: %.150s%s\n", sunco_operation_iter_items(messages), page, strlen(page) > 150 ? "..." : "");
        sunco_string_free(page);
    }
    sunco_operation_iter_free(messages);
    if (status != SUNCO_OK) return fail("next page of messages", status, err);

    /* 7. Delete it. */
    status = sunco_conversations_delete(client, app_id, id, &err);
    if (status != SUNCO_OK) return fail("delete", status, err);
    printf("deleted %s\n", id);

    /* 8. Errors: the status says what kind; the error object says the rest. */
    status = sunco_conversations_get(client, app_id, id, &json, &err);
    if (status != SUNCO_NOT_FOUND) {
        sunco_string_free(json);
        return fail("the expected 404", status, err);
    }
    printf("as expected, %s: HTTP %u, code %s, title \"%s\", request id %s\n  message: %s\n",
           sunco_status_name(status), (unsigned)sunco_error_http_status(err), sunco_error_code(err),
           sunco_error_title(err), sunco_error_request_id(err) ? sunco_error_request_id(err) : "-",
           sunco_error_message(err));
    sunco_error_free(err);

    sunco_client_free(client);
    printf("demo: done\n");
    return 0;
}
