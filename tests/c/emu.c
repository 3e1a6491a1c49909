/* Test-only emulator controls over a raw socket (see emu.h). */
#define _POSIX_C_SOURCE 200809L
#include "emu.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

/* base64("demo-key:demo-secret") */
#define DEMO_BASIC "ZGVtby1rZXk6ZGVtby1zZWNyZXQ="

static void die(const char *what, const char *detail) {
    fprintf(stderr, "emulator control: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

const char *emu_base_url(void) {
    const char *url = getenv("SUNCO_BASE_URL");
    if (!url || strncmp(url, "http://", 7) != 0) die("SUNCO_BASE_URL must be the emulator's http:// URL", url);
    return url;
}

static int connect_to(const char *url, char *host_port, size_t cap) {
    char host[256], port[16];
    const char *hp = url + 7, *colon, *slash;
    struct addrinfo hints, *res, *ai;
    int fd = -1;
    slash = strchr(hp, '/');
    snprintf(host_port, cap, "%.*s", slash ? (int)(slash - hp) : (int)strlen(hp), hp);
    colon = strrchr(host_port, ':');
    if (!colon) return -1;
    snprintf(host, sizeof host, "%.*s", (int)(colon - host_port), host_port);
    snprintf(port, sizeof port, "%s", colon + 1);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0) return -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Decodes a chunked body in place; returns its new length. */
static size_t dechunk(char *body, size_t len) {
    size_t in = 0, out = 0;
    while (in < len) {
        char *end;
        unsigned long size = strtoul(body + in, &end, 16);
        char *line_end = strstr(end, "\r\n");
        if (!line_end || size == 0) break;
        in = (size_t)(line_end - body) + 2;
        if (in + size > len) size = len - in;
        memmove(body + out, body + in, size);
        out += size;
        in += size + 2;
    }
    body[out] = '\0';
    return out;
}

int emu_request(const char *method, const char *path, const char *body, int basic_auth,
                emu_response *out) {
    return emu_request_as(method, path, body ? "application/json" : NULL, body, body ? strlen(body) : 0, basic_auth,
                          out);
}

int emu_request_as(const char *method, const char *path, const char *content_type, const char *body, size_t body_len,
                   int basic_auth, emu_response *out) {
    char host_port[300], head[1024];
    char *buf = NULL, *sep, *p;
    int chunked;
    size_t len = 0, cap = 0, header_len;
    int fd = connect_to(emu_base_url(), host_port, sizeof host_port);
    out->status = 0;
    out->body = NULL;
    out->body_len = 0;
    if (fd < 0) return -1;
    snprintf(head, sizeof head,
             "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n%s%s%s%s%sContent-Length: %lu\r\n\r\n",
             method, path, host_port, content_type ? "Content-Type: " : "", content_type ? content_type : "",
             content_type ? "\r\n" : "", basic_auth ? "Authorization: Basic " DEMO_BASIC : "",
             basic_auth ? "\r\n" : "", (unsigned long)body_len);
    if (write_all(fd, head, strlen(head)) || (body && write_all(fd, body, body_len))) {
        close(fd);
        return -1;
    }
    for (;;) {
        ssize_t r;
        if (cap - len < 4096) {
            char *grown = realloc(buf, cap = cap * 2 + 8192);
            if (!grown) break;
            buf = grown;
        }
        r = read(fd, buf + len, cap - len - 1);
        if (r <= 0) break;
        len += (size_t)r;
    }
    close(fd);
    if (!buf) return -1;
    buf[len] = '\0';
    sep = strstr(buf, "\r\n\r\n");
    if (strncmp(buf, "HTTP/1.1 ", 9) != 0 || !sep) {
        free(buf);
        return -1;
    }
    out->status = atoi(buf + 9);
    header_len = (size_t)(sep - buf) + 4;
    *sep = '\0';
    chunked = 0;
    for (p = strstr(buf, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, "transfer-encoding:", 18) == 0 && strstr(p + 20, "chunked")) chunked = 1;
    }
    out->body_len = len - header_len;
    memmove(buf, buf + header_len, out->body_len + 1);
    if (chunked) out->body_len = dechunk(buf, out->body_len);
    out->body = buf;
    return 0;
}

static emu_response control(const char *method, const char *path, const char *body, int auth) {
    emu_response r;
    if (emu_request(method, path, body, auth, &r) != 0) die("no answer to", path);
    if (r.status < 200 || r.status > 299) {
        fprintf(stderr, "emulator control: %s %s -> HTTP %d: %s\n", method, path, r.status, r.body);
        exit(2);
    }
    return r;
}

void emu_reset(void) {
    free(control("POST", "/_emulator/reset", NULL, 0).body);
}

void emu_clear_log(void) {
    free(control("DELETE", "/_emulator/requests", NULL, 0).body);
}

void emu_fault(const char *rule_json) {
    free(control("POST", "/_emulator/faults", rule_json, 0).body);
}

json_value *emu_log(void) {
    emu_response r = control("GET", "/_emulator/requests", NULL, 0);
    json_value *doc = json_parse(r.body, r.body_len, NULL);
    if (!doc || !json_get(doc, "requests")) die("request log is not JSON", r.body);
    free(r.body);
    return doc;
}

char *emu_user_id(const char *external_id) {
    char path[512];
    emu_response r;
    json_value *doc;
    char *id;
    snprintf(path, sizeof path, "/v2/apps/demo-app/users/%s", external_id);
    r = control("GET", path, NULL, 1);
    doc = json_parse(r.body, r.body_len, NULL);
    if (!json_string(json_get(json_get(doc, "user"), "id"))) die("no user id in", r.body);
    id = strdup(json_string(json_get(json_get(doc, "user"), "id")));
    json_free(doc);
    free(r.body);
    return id;
}
