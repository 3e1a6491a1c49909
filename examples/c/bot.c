/* An offline bot in C: a minimal loopback HTTP/1.1 server (POSIX sockets) that receives the
 * webhooks of a custom integration, checks each with sunco_webhook_parse, and answers users
 * through the per-operation functions of libconversations.
 *
 *   user writes "agent"  -> "Passing you to an agent.", then PassControl to $BOT_AGENT
 *   user writes anything -> "You said: <text>" with the quick replies "Talk to an agent" / "Thanks"
 *
 * Environment: SUNCO_BASE_URL, SUNCO_KEY_ID, SUNCO_KEY_SECRET (read by sunco_client_new_from_env),
 * SUNCO_APP_ID, BOT_PORT (listens on 127.0.0.1:BOT_PORT), BOT_WEBHOOK_SECRET, BOT_AGENT.
 * Run by `make demo-c` through scripts/bot-demo.py, which plays the end user.
 *
 * One request at a time: wait for a connection in pselect (the only place a stop signal is let
 * in), read the head (at most 16 KiB) and at most 1 MiB + 1 of body, check
 * and parse it (401 wrong or missing secret, 400 malformed, 413 too large), answer 200 at once,
 * then reply to the user. The JSON the bot sends is built with a small escaping helper; the
 * JSON it reads goes through the tests' small reader (tests/c/json.h). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "conversations.h"
#include "json.h"

#define HEAD_MAX (16 * 1024)
#define BODY_MAX (1024 * 1024 + 1) /* one byte over the library's limit: it answers 413 */
#define HEADERS_MAX 64

static volatile sig_atomic_t stopping = 0;

static void on_signal(int sig) {
    (void)sig;
    stopping = 1;
}

typedef struct {
    const sunco_client *client;
    const char *app_id;
    const char *secret;
    const char *agent;
} bot;

/* ------------------------------------------------------------------ JSON out */

typedef struct {
    char *p;
    size_t len, cap;
} text;

static int put(text *t, const char *s, size_t n) {
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->len + n + 1) * 2;
        char *p = realloc(t->p, cap);
        if (!p) return -1;
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
    return 0;
}

static int puts_(text *t, const char *s) { return put(t, s, strlen(s)); }

/* Appends `s` (`n` bytes of UTF-8) as a JSON string literal. */
static int put_json_string(text *t, const char *s, size_t n) {
    size_t i;
    int rc = put(t, "\"", 1);
    for (i = 0; i < n && rc == 0; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            rc = put(t, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            rc = put(t, esc, 6);
        } else {
            rc = put(t, (const char *)&s[i], 1);
        }
    }
    return rc ? rc : put(t, "\"", 1);
}

/* The body of a business text message, with quick replies when `quick_replies` is set. */
static char *business_text(const char *prefix, const char *said, size_t said_len, int quick_replies) {
    text t = {NULL, 0, 0};
    text msg = {NULL, 0, 0};
    int rc = puts_(&msg, prefix) || put(&msg, said, said_len);
    rc = rc || puts_(&t, "{\"author\":{\"type\":\"business\"},\"content\":{\"type\":\"text\",\"text\":");
    rc = rc || put_json_string(&t, msg.p ? msg.p : "", msg.len);
    if (quick_replies) {
        rc = rc || puts_(&t, ",\"actions\":[{\"type\":\"reply\",\"text\":\"Talk to an agent\",\"payload\":\"agent\"},"
                             "{\"type\":\"reply\",\"text\":\"Thanks\",\"payload\":\"thanks\"}]");
    }
    rc = rc || puts_(&t, "}}");
    free(msg.p);
    if (rc) {
        free(t.p);
        return NULL;
    }
    return t.p;
}

/* ------------------------------------------------------------------ replies */

static void report(const char *what, sunco_error *err) {
    fprintf(stderr, "bot: %s failed: %s\n", what, sunco_error_message(err) ? sunco_error_message(err) : "out of memory");
}

/* Whether `s` (n bytes), trimmed and lowercased, is "agent". */
static int says_agent(const char *s, size_t n) {
    const char *want = "agent";
    size_t i;
    while (n && isspace((unsigned char)*s)) s++, n--;
    while (n && isspace((unsigned char)s[n - 1])) n--;
    if (n != strlen(want)) return 0;
    for (i = 0; i < n; i++) {
        if (tolower((unsigned char)s[i]) != want[i]) return 0;
    }
    return 1;
}

static int post(const bot *b, const char *conversation_id, const char *body) {
    char *out = NULL;
    sunco_error *err = NULL;
    sunco_status s = body ? sunco_messages_post(b->client, b->app_id, conversation_id, body, &out, &err) : SUNCO_INTERNAL;
    if (s != SUNCO_OK) report("PostMessage", err);
    sunco_string_free(out);
    sunco_error_free(err);
    return s == SUNCO_OK;
}

static void pass_control(const bot *b, const char *conversation_id) {
    text body = {NULL, 0, 0};
    char *out = NULL;
    sunco_error *err = NULL;
    sunco_status s = SUNCO_INTERNAL;
    if (puts_(&body, "{\"switchboardIntegration\":") == 0 && put_json_string(&body, b->agent, strlen(b->agent)) == 0 &&
        puts_(&body, "}") == 0) {
        s = sunco_switchboard_actions_pass_control(b->client, b->app_id, conversation_id, body.p, &out, &err);
    }
    if (s == SUNCO_OK) {
        printf("bot: %s passed control\n", conversation_id);
        fflush(stdout);
    } else {
        report("PassControl", err);
    }
    sunco_string_free(out);
    sunco_error_free(err);
    free(body.p);
}

/* Handles the events of a parsed payload: replies to users' text messages, ignores the rest. */
static void handle(const bot *b, const char *payload_json) {
    json_value *doc = json_parse_str(payload_json);
    const json_value *events = json_get(doc, "events");
    size_t i;
    for (i = 0; events && i < events->count; i++) {
        const json_value *ev = json_at(events, i), *payload = json_get(ev, "payload");
        const json_value *message = json_get(payload, "message"), *content = json_get(message, "content");
        const char *type = json_string(json_get(ev, "type"));
        const char *conversation_id = json_string(json_get(json_get(payload, "conversation"), "id"));
        const json_value *said = json_get(content, "text");
        if (!type || strcmp(type, "conversation:message") != 0 || !conversation_id || !json_string(said)) continue;
        if (!json_string(json_get(json_get(message, "author"), "type")) ||
            strcmp(json_string(json_get(json_get(message, "author"), "type")), "user") != 0 ||
            !json_string(json_get(content, "type")) || strcmp(json_string(json_get(content, "type")), "text") != 0)
            continue;
        if (says_agent(said->string, said->string_len)) {
            char *body = business_text("Passing you to an agent.", "", 0, 0);
            if (post(b, conversation_id, body)) pass_control(b, conversation_id);
            free(body);
        } else {
            char *body = business_text("You said: ", said->string, said->string_len, 1);
            if (post(b, conversation_id, body)) {
                printf("bot: %s replied\n", conversation_id);
                fflush(stdout);
            }
            free(body);
        }
    }
    json_free(doc);
}

/* ------------------------------------------------------------------ HTTP */

static int send_all(int fd, const char *s, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

static void answer(int fd, unsigned status, const char *reason) {
    char head[160];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %u %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status,
                     reason);
    if (n > 0) (void)send_all(fd, head, (size_t)n);
}

static const char *reason_of(unsigned status) {
    switch (status) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 405: return "Method Not Allowed";
        case 411: return "Length Required";
        case 413: return "Content Too Large";
        case 431: return "Request Header Fields Too Large";
        default: return "Internal Server Error";
    }
}

/* Reads until `buf` holds the end of the head ("\r\n\r\n"); returns the head's length (with
 * the blank line) and how much was read in all, or -1 (closed, timed out, or over HEAD_MAX). */
static long read_head(int fd, char *buf, size_t *got) {
    *got = 0;
    for (;;) {
        char *end;
        ssize_t r;
        buf[*got] = '\0';
        if ((end = strstr(buf, "\r\n\r\n")) != NULL) return (long)(end - buf) + 4;
        if (*got >= HEAD_MAX) return -1;
        r = recv(fd, buf + *got, HEAD_MAX - *got, 0);
        if (r < 0 && errno == EINTR && !stopping) continue;
        if (r <= 0) return -1;
        *got += (size_t)r;
    }
}

/* One connection: one request, one answer. */
static void serve(const bot *b, int fd) {
    char *head = malloc(HEAD_MAX + 1), *body = NULL, *line, *save = NULL;
    const char *names[HEADERS_MAX], *values[HEADERS_MAX];
    size_t count = 0, got = 0, want = 0, have;
    long head_len;
    unsigned status = 500;
    int has_length = 0;
    char *payload = NULL;
    sunco_error *err = NULL;

    if (!head) goto done;
    if ((head_len = read_head(fd, head, &got)) < 0) {
        status = got >= HEAD_MAX ? 431 : 400;
        goto done;
    }
    head[head_len - 2] = '\0'; /* the head's lines, without the blank line */
    line = strtok_r(head, "\r\n", &save);
    if (!line || strncmp(line, "POST ", 5) != 0) {
        status = 405;
        goto done;
    }
    while ((line = strtok_r(NULL, "\r\n", &save)) != NULL) {
        char *colon = strchr(line, ':'), *value;
        if (!colon || count == HEADERS_MAX) continue;
        *colon = '\0';
        for (value = colon + 1; *value == ' ' || *value == '\t'; value++) {
        }
        {
            size_t n = strlen(value);
            while (n && (value[n - 1] == ' ' || value[n - 1] == '\t')) value[--n] = '\0';
        }
        names[count] = line;
        values[count++] = value;
        if (strcasecmp(line, "Content-Length") == 0) {
            char *end;
            unsigned long long n = strtoull(value, &end, 10);
            if (end == value || *end != '\0') {
                status = 400;
                goto done;
            }
            has_length = 1;
            want = n > BODY_MAX ? BODY_MAX : (size_t)n; /* read no more than the library could take */
        }
    }
    if (!has_length) {
        status = 411;
        goto done;
    }
    body = malloc(want + 1);
    if (!body) goto done;
    have = got - (size_t)head_len < want ? got - (size_t)head_len : want;
    memcpy(body, head + head_len, have);
    while (have < want) {
        ssize_t r = recv(fd, body + have, want - have, 0);
        if (r < 0 && errno == EINTR && !stopping) continue;
        if (r <= 0) {
            status = 400;
            goto done;
        }
        have += (size_t)r;
    }
    switch (sunco_webhook_parse(b->secret, (const uint8_t *)body, want, names, values, count, &payload, &err)) {
        case SUNCO_OK:
            status = 200;
            break;
        case SUNCO_WEBHOOK_UNAUTHORIZED:
        case SUNCO_WEBHOOK_MALFORMED:
        case SUNCO_WEBHOOK_TOO_LARGE:
            status = sunco_error_http_status(err);
            fprintf(stderr, "bot: refused a request (%u): %s\n", status, sunco_error_message(err));
            break;
        default:
            report("sunco_webhook_parse", err);
    }
done:
    answer(fd, status, reason_of(status));
    close(fd);
    if (payload) handle(b, payload); /* after the answer: the webhook is not kept waiting */
    sunco_string_free(payload);
    sunco_error_free(err);
    free(body);
    free(head);
}

static const char *env(const char *name) {
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "bot: %s is not set\n", name);
        exit(2);
    }
    return v;
}

int main(void) {
    struct sigaction sa;
    sigset_t stop_signals, wait_mask;
    struct sockaddr_in addr;
    struct timeval timeout = {5, 0};
    sunco_client *client = NULL;
    sunco_error *err = NULL;
    bot b;
    char *end;
    unsigned long port = strtoul(env("BOT_PORT"), &end, 10);
    int fd, one = 1;

    b.app_id = env("SUNCO_APP_ID");
    b.secret = env("BOT_WEBHOOK_SECRET");
    b.agent = env("BOT_AGENT");
    if (*end != '\0' || port == 0 || port > 65535) {
        fprintf(stderr, "bot: BOT_PORT is not a port number\n");
        return 2;
    }
    /* SIGTERM and SIGINT stay blocked everywhere except while the main thread waits in
     * pselect: the library's runtime threads (started later, inheriting this mask) never take
     * them, so the signal always wakes the loop below. */
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, &wait_mask);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    if (sunco_client_new_from_env(&client, &err) != SUNCO_OK) {
        report("sunco_client_new_from_env", err);
        sunco_error_free(err);
        return 1;
    }
    b.client = client;

    fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 16) != 0) {
        perror("bot: listen");
        sunco_client_free(client);
        return 1;
    }
    printf("bot: listening on 127.0.0.1:%lu\n", port);
    fflush(stdout);

    while (!stopping) {
        fd_set ready;
        int conn;
        FD_ZERO(&ready);
        FD_SET(fd, &ready);
        if (pselect(fd + 1, &ready, NULL, NULL, NULL, &wait_mask) < 0) {
            if (errno == EINTR) continue; /* a stop signal: the loop ends */
            perror("bot: pselect");
            break;
        }
        conn = accept(fd, NULL, NULL);
        if (conn < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            perror("bot: accept");
            break;
        }
        /* A client that stops sending does not hold the bot for more than 5 s. */
        setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        serve(&b, conn);
    }
    close(fd);
    sunco_client_free(client);
    return stopping ? 0 : 1;
}
