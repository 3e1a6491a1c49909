/* The per-operation C surface: every operationId of api.json has the C name the manifest gives
 * it, and the library exports that symbol; the generated functions keep the library's
 * conventions (NULL arguments named, out-parameters NULL on failure); the page iterators walk
 * every page; uploads from a path and from bytes reach the emulator.
 * Usage: test_surface [API_JSON]   (run under scripts/with-emulator.sh) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "conversations.h"
#include "emu.h"
#include "json.h"
#include "operations_table.h"

int check_failures = 0;
int check_count = 0;

/* Every operation of the manifest: its C name is the table's, and the symbol is exported. */
static void check_manifest(const char *path) {
    char *text = json_read_file(path, NULL);
    json_value *doc = text ? json_parse_str(text) : NULL;
    const json_value *ops = json_get(doc, "operations");
    size_t i, j;
    CHECK(ops != NULL && ops->count == 68);
    CHECK(ops != NULL && ops->count == c_operation_count);
    for (i = 0; ops && i < ops->count; i++) {
        const char *id = json_string(json_get(json_at(ops, i), "operationId"));
        const char *name = json_string(json_get(json_get(json_at(ops, i), "names"), "c"));
        const c_operation *op = NULL;
        for (j = 0; j < c_operation_count; j++) {
            if (id && strcmp(c_operations[j].operation_id, id) == 0) op = &c_operations[j];
        }
        CHECK(op != NULL);
        if (!op || !name) continue;
        CHECK_STR(name, op->c_name);
        if (!dlsym(RTLD_DEFAULT, name)) {
            fprintf(stderr, "%s: libconversations exports no %s\n", id, name);
            check_failures++;
        }
        if (op->paginated) {
            char iter[128];
            snprintf(iter, sizeof iter, "%s_iter", name);
            if (!dlsym(RTLD_DEFAULT, iter)) {
                fprintf(stderr, "%s: libconversations exports no %s\n", id, iter);
                check_failures++;
            }
        }
    }
    CHECK(dlsym(RTLD_DEFAULT, "sunco_attachments_upload_bytes") != NULL);
    CHECK(dlsym(RTLD_DEFAULT, "sunco_webhook_parse") != NULL);
    json_free(doc);
    free(text);
}

static sunco_client *make_client(void) {
    sunco_options *o = sunco_options_new();
    sunco_client *c = NULL;
    sunco_error *err = NULL;
    CHECK_OK(sunco_options_set_base_url(o, emu_base_url(), &err), err);
    CHECK_OK(sunco_options_set_basic_auth(o, "demo-key", "demo-secret", &err), err);
    CHECK_OK(sunco_options_set_max_retries(o, 0, &err), err);
    CHECK_OK(sunco_client_new(o, &c, &err), err);
    sunco_options_free(o);
    return c;
}

/* A failed call: the status, the parameter named, no result. */
static void check_refused(sunco_status s, sunco_status want, const char *out, sunco_error *err, const char *field) {
    CHECK_STATUS(s, want, err);
    CHECK(out == NULL);
    CHECK_STR(sunco_error_field(err), field);
    sunco_error_free(err);
}

static void check_conventions(const sunco_client *c) {
    char *out = (char *)"junk";
    sunco_error *err = NULL;
    sunco_operation_iter *it = (sunco_operation_iter *)&out;
    sunco_status s;

    emu_clear_log();
    s = sunco_messages_post(NULL, "demo-app", "c", "{}", &out, &err);
    check_refused(s, SUNCO_INVALID_ARGUMENT, out, err, "client");
    s = sunco_messages_post(c, NULL, "c", "{}", &out, &err);
    check_refused(s, SUNCO_INVALID_ARGUMENT, out, err, "app_id");
    s = sunco_messages_post(c, "demo-app", NULL, "{}", &out, &err);
    check_refused(s, SUNCO_INVALID_ARGUMENT, out, err, "conversation_id");
    s = sunco_messages_post(c, "demo-app", "c", "{\"author\":", &out, &err);
    check_refused(s, SUNCO_INVALID_ARGUMENT, out, err, "body_json");
    s = sunco_messages_post(c, "demo-app", "c", NULL, &out, &err);
    check_refused(s, SUNCO_VALIDATION, out, err, "body");
    s = sunco_messages_post(c, "demo-app", "c", "{\"content\":{\"type\":\"text\",\"text\":\"x\"}}", &out, &err);
    check_refused(s, SUNCO_VALIDATION, out, err, "author");
    s = sunco_users_get(c, "demo-app", "alice", "[1]", &out, &err);
    check_refused(s, SUNCO_VALIDATION, out, err, "query");
    s = sunco_messages_post(c, "demo-app", "c", "{}", NULL, &err);
    check_refused(s, SUNCO_INVALID_ARGUMENT, NULL, err, "out_json");
    s = sunco_messages_list_iter(c, "demo-app", NULL, NULL, &it, &err);
    CHECK(it == NULL);
    check_refused(s, SUNCO_INVALID_ARGUMENT, NULL, err, "conversation_id");
    s = sunco_messages_list_iter(c, "demo-app", "c", "{\"page\":{\"size\":0}}", &it, &err);
    CHECK(it == NULL);
    check_refused(s, SUNCO_VALIDATION, NULL, err, "page.size");
    {
        json_value *log = emu_log();
        CHECK(json_get(log, "requests") != NULL && json_get(log, "requests")->count == 0);
        json_free(log);
    }
    /* err may be NULL. */
    CHECK(sunco_messages_post(c, NULL, "c", "{}", &out, NULL) == SUNCO_INVALID_ARGUMENT && out == NULL);
}

/* Posts `n` messages to a new conversation and walks them back with the generated iterator. */
static void check_iterator(const sunco_client *c) {
    char *conv = NULL, *out = NULL, *page = NULL, body[256];
    sunco_error *err = NULL;
    sunco_operation_iter *it = NULL;
    json_value *v;
    const char *id;
    size_t pages = 0, records = 0;
    int i;

    CHECK_OK(sunco_conversations_create(c, "demo-app", "{\"type\":\"sdkGroup\",\"displayName\":\"iter\"}", &conv, &err),
             err);
    v = json_parse_str(conv ? conv : "{}");
    id = json_string(json_get(v, "id"));
    for (i = 0; id && i < 7; i++) {
        snprintf(body, sizeof body,
                 "{\"author\":{\"type\":\"business\"},\"content\":{\"type\":\"text\",\"text\":\"m%d\"}}", i);
        CHECK_OK(sunco_messages_post(c, "demo-app", id, body, &out, &err), err);
        CHECK(out != NULL && strstr(out, "\"messages\"") != NULL);
        sunco_string_free(out);
        out = NULL;
    }
    CHECK_OK(sunco_messages_list_iter(c, "demo-app", id ? id : "?", "{\"page\":{\"size\":3}}", &it, &err), err);
    CHECK_STR(sunco_operation_iter_items(it), "messages");
    while (it && sunco_operation_iter_next(it, &page, &err) == SUNCO_OK && page) {
        json_value *p = json_parse_str(page);
        const json_value *items = json_get(p, "messages");
        pages++;
        records += items ? items->count : 0;
        json_free(p);
        sunco_string_free(page);
    }
    CHECK(err == NULL);
    if (pages < 1 || records != 7) {
        fprintf(stderr, "the walk gave %lu pages, %lu records (7 expected)\n", (unsigned long)pages,
                (unsigned long)records);
        check_failures++;
    }
    sunco_operation_iter_free(it);
    sunco_error_free(err);

    /* A walk of one record per page: as many pages as the list holds. */
    for (i = 0; i < 2; i++) {
        CHECK_OK(sunco_conversations_create(c, "demo-app",
                                            "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"alice\"}]}",
                                            &out, &err),
                 err);
        sunco_string_free(out);
        out = NULL;
    }
    {
        json_value *all;
        size_t total;
        CHECK_OK(sunco_conversations_list(c, "demo-app",
                                          "{\"filter\":{\"userExternalId\":\"alice\"},\"page\":{\"size\":100}}", &out,
                                          &err),
                 err);
        all = json_parse_str(out ? out : "{}");
        total = json_get(all, "conversations") ? json_get(all, "conversations")->count : 0;
        CHECK(total >= 2);
        pages = records = 0;
        CHECK_OK(sunco_conversations_list_iter(c, "demo-app",
                                               "{\"filter\":{\"userExternalId\":\"alice\"},\"page\":{\"size\":1}}",
                                               &it, &err),
                 err);
        CHECK_STR(sunco_operation_iter_items(it), "conversations");
        while (it && sunco_operation_iter_next(it, &page, &err) == SUNCO_OK && page) {
            json_value *p = json_parse_str(page);
            pages++;
            records += json_get(p, "conversations") ? json_get(p, "conversations")->count : 0;
            json_free(p);
            sunco_string_free(page);
        }
        CHECK(err == NULL);
        if (pages != total || records != total) {
            fprintf(stderr, "the walk gave %lu pages, %lu records (%lu each expected)\n", (unsigned long)pages,
                    (unsigned long)records, (unsigned long)total);
            check_failures++;
        }
        sunco_operation_iter_free(it);
        json_free(all);
        sunco_string_free(out);
    }
    json_free(v);
    sunco_string_free(conv);
}

static void check_uploads(const sunco_client *c) {
    char path[] = "/tmp/sunco-upload-XXXXXX", *out = NULL;
    const char data[] = "hello, attachment";
    sunco_error *err = NULL;
    sunco_status s;
    int fd = mkstemp(path);
    json_value *v;

    CHECK(fd >= 0);
    CHECK(write(fd, data, sizeof data - 1) == (ssize_t)(sizeof data - 1));
    close(fd);

    emu_clear_log();
    s = sunco_attachments_upload(c, "demo-app", "{\"access\":\"public\"}", path, "note.txt", "text/plain", &out, &err);
    CHECK_OK(s, err);
    v = json_parse_str(out ? out : "null");
    CHECK(json_string(json_get(json_get(v, "attachment"), "mediaUrl")) != NULL);
    json_free(v);
    sunco_string_free(out);
    sunco_error_free(err);
    {
        json_value *log = emu_log();
        const json_value *r = json_at(json_get(log, "requests"), 0);
        CHECK_STR(json_string(json_get(r, "path")), "/v2/apps/demo-app/attachments");
        CHECK(json_string(json_get(r, "body")) != NULL && strstr(json_string(json_get(r, "body")), data) != NULL);
        json_free(log);
    }

    s = sunco_attachments_upload_bytes(c, "demo-app", "{\"access\":\"public\",\"for\":\"message\"}",
                                       (const uint8_t *)data, sizeof data - 1, "hello.txt", NULL, &out, &err);
    CHECK_OK(s, err);
    v = json_parse_str(out ? out : "null");
    CHECK(json_string(json_get(json_get(v, "attachment"), "mediaUrl")) != NULL);
    json_free(v);
    sunco_string_free(out);
    sunco_error_free(err);

    /* Refusals name what is wrong; nothing is sent. */
    emu_clear_log();
    s = sunco_attachments_upload(c, "demo-app", "{\"access\":\"public\"}", "/nonexistent/file", NULL, NULL, &out, &err);
    check_refused(s, SUNCO_VALIDATION, out, err, "source");
    s = sunco_attachments_upload(c, "demo-app", "{}", path, NULL, NULL, &out, &err);
    check_refused(s, SUNCO_VALIDATION, out, err, "access");
    s = sunco_attachments_upload(c, "demo-app", "{\"access\":\"public\"}", NULL, NULL, NULL, &out, &err);
    check_refused(s, SUNCO_INVALID_ARGUMENT, out, err, "path");
    s = sunco_attachments_upload_bytes(c, "demo-app", "{\"access\":\"public\"}", NULL, 3, "a.txt", NULL, &out, &err);
    check_refused(s, SUNCO_INVALID_ARGUMENT, out, err, "data");
    s = sunco_attachments_upload_bytes(c, "demo-app", "{\"access\":\"public\"}", (const uint8_t *)data, 3, NULL, NULL,
                                       &out, &err);
    check_refused(s, SUNCO_INVALID_ARGUMENT, out, err, "file_name");
    s = sunco_attachments_upload_bytes(c, "demo-app", NULL, (const uint8_t *)data, 3, "a.txt", NULL, &out, &err);
    check_refused(s, SUNCO_INVALID_ARGUMENT, out, err, "query_json");
    {
        json_value *log = emu_log();
        CHECK(json_get(log, "requests") != NULL && json_get(log, "requests")->count == 0);
        json_free(log);
    }
    unlink(path);
}

int main(int argc, char **argv) {
    sunco_client *c;
    check_manifest(argc > 1 ? argv[1] : "api.json");
    emu_reset();
    c = make_client();
    check_conventions(c);
    check_iterator(c);
    check_uploads(c);
    sunco_client_free(c);
    printf("test_surface: %lu operations, %d checks, %d failed\n", (unsigned long)c_operation_count, check_count,
           check_failures);
    return check_failures == 0 ? 0 : 1;
}
