/* Test-only access to the emulator's controls over plain HTTP/1.1 (C has no HTTP client).
 * The base URL comes from SUNCO_BASE_URL (set by scripts/with-emulator.sh). */
#ifndef SUNCO_TEST_EMU_H
#define SUNCO_TEST_EMU_H

#include <stddef.h>

#include "json.h"

typedef struct {
    int status;
    char *body;   /* NUL-terminated, malloc'd */
    size_t body_len;
} emu_response;

/* The emulator's base URL, e.g. "http://127.0.0.1:43123" (exits if SUNCO_BASE_URL is unset). */
const char *emu_base_url(void);
/* Sends one request; `body` may be NULL; `basic_auth` adds the demo key. Returns 0 on success
 * (any HTTP status), -1 on a socket or parse failure. Free out->body. */
int emu_request(const char *method, const char *path, const char *body, int basic_auth,
                emu_response *out);
/* The same with a body of `body_len` bytes of any `content_type` (NULL: no Content-Type). */
int emu_request_as(const char *method, const char *path, const char *content_type, const char *body, size_t body_len,
                   int basic_auth, emu_response *out);

/* The controls; each exits the test program if the emulator does not answer 2xx. */
void emu_reset(void);
void emu_clear_log(void);
void emu_fault(const char *rule_json);
/* The request log: the parsed `requests` document (free with json_free). */
json_value *emu_log(void);
/* The id of a seed user of demo-app, malloc'd. */
char *emu_user_id(const char *external_id);

#endif
