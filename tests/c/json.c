/* A small JSON reader for the C tests only (see json.h). */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p;
    const char *end;
    const char *error;
    int depth;
} parser;

static json_value *parse_value(parser *ps);

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')) {
        ps->p++;
    }
}

static json_value *new_value(json_type type, const char *start) {
    json_value *v = calloc(1, sizeof *v);
    if (v) {
        v->type = type;
        v->raw = start;
    }
    return v;
}

static int fail(parser *ps, const char *message) {
    if (!ps->error) ps->error = message;
    return 0;
}

static int append_utf8(char *out, size_t *n, unsigned long cp) {
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
    return 1;
}

static int hex4(parser *ps, unsigned long *out) {
    int i;
    *out = 0;
    if (ps->end - ps->p < 4) return fail(ps, "short \\u escape");
    for (i = 0; i < 4; i++) {
        char c = *ps->p++;
        *out <<= 4;
        if (c >= '0' && c <= '9') *out |= (unsigned long)(c - '0');
        else if (c >= 'a' && c <= 'f') *out |= (unsigned long)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') *out |= (unsigned long)(c - 'A' + 10);
        else return fail(ps, "bad \\u escape");
    }
    return 1;
}

/* Parses a string starting at the opening quote; the decoded text goes to *out (malloc'd). */
static int parse_string(parser *ps, char **out, size_t *out_len) {
    /* Decoded text is never longer than the source text. */
    const char *start = ++ps->p;
    size_t n = 0;
    char *buf;
    while (ps->p < ps->end && *ps->p != '"') {
        if (*ps->p == '\\') ps->p++;
        ps->p++;
    }
    if (ps->p >= ps->end) return fail(ps, "unterminated string");
    buf = malloc((size_t)(ps->p - start) + 1);
    if (!buf) return fail(ps, "out of memory");
    ps->p = start;
    while (*ps->p != '"') {
        char c = *ps->p++;
        if ((unsigned char)c < 0x20) {
            free(buf);
            return fail(ps, "control character in string");
        }
        if (c != '\\') {
            buf[n++] = c;
            continue;
        }
        c = *ps->p++;
        switch (c) {
        case '"': buf[n++] = '"'; break;
        case '\\': buf[n++] = '\\'; break;
        case '/': buf[n++] = '/'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'u': {
            unsigned long cp, low;
            if (!hex4(ps, &cp)) {
                free(buf);
                return 0;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u') {
                    free(buf);
                    return fail(ps, "lone surrogate");
                }
                ps->p += 2;
                if (!hex4(ps, &low) || low < 0xDC00 || low > 0xDFFF) {
                    free(buf);
                    return fail(ps, "bad surrogate pair");
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            append_utf8(buf, &n, cp);
            break;
        }
        default:
            free(buf);
            return fail(ps, "bad escape");
        }
    }
    ps->p++; /* closing quote */
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return 1;
}

static int push(json_value *v, json_value *item, char *key) {
    json_value **items = realloc(v->items, (v->count + 1) * sizeof *items);
    if (!items) return 0;
    v->items = items;
    if (v->type == JSON_OBJECT) {
        char **keys = realloc(v->keys, (v->count + 1) * sizeof *keys);
        if (!keys) return 0;
        v->keys = keys;
        v->keys[v->count] = key;
    }
    v->items[v->count++] = item;
    return 1;
}

static int parse_container(parser *ps, json_value *v) {
    char close = v->type == JSON_ARRAY ? ']' : '}';
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 1;
    }
    for (;;) {
        char *key = NULL;
        size_t key_len;
        json_value *item;
        skip_ws(ps);
        if (v->type == JSON_OBJECT) {
            if (ps->p >= ps->end || *ps->p != '"') return fail(ps, "expected a key");
            if (!parse_string(ps, &key, &key_len)) return 0;
            skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                free(key);
                return fail(ps, "expected ':'");
            }
            ps->p++;
        }
        item = parse_value(ps);
        if (!item || !push(v, item, key)) {
            json_free(item);
            free(key);
            return fail(ps, "bad item");
        }
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return 1;
        }
        return fail(ps, "expected ',' or a closing bracket");
    }
}

static int literal(parser *ps, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) return fail(ps, "bad literal");
    ps->p += n;
    return 1;
}

static json_value *parse_value(parser *ps) {
    json_value *v = NULL;
    int ok = 0;
    skip_ws(ps);
    if (ps->p >= ps->end) {
        fail(ps, "unexpected end");
        return NULL;
    }
    if (++ps->depth > 200) {
        fail(ps, "too deep");
        return NULL;
    }
    switch (*ps->p) {
    case '{':
    case '[':
        v = new_value(*ps->p == '{' ? JSON_OBJECT : JSON_ARRAY, ps->p);
        ok = v && parse_container(ps, v);
        break;
    case '"':
        v = new_value(JSON_STRING, ps->p);
        ok = v && parse_string(ps, &v->string, &v->string_len);
        break;
    case 't':
    case 'f':
        v = new_value(JSON_BOOL, ps->p);
        if (v) v->boolean = *ps->p == 't';
        ok = v && literal(ps, *ps->p == 't' ? "true" : "false");
        break;
    case 'n':
        v = new_value(JSON_NULL, ps->p);
        ok = v && literal(ps, "null");
        break;
    default: {
        /* A number: the characters JSON allows, converted by strtod on a bounded copy. */
        const char *start = ps->p;
        char buf[64];
        char *endp;
        size_t n;
        while (ps->p < ps->end && strchr("+-0123456789.eE", *ps->p) && *ps->p) ps->p++;
        n = (size_t)(ps->p - start);
        if (n == 0 || n >= sizeof buf) {
            fail(ps, "unexpected character");
            break;
        }
        memcpy(buf, start, n);
        buf[n] = '\0';
        v = new_value(JSON_NUMBER, start);
        if (!v) break;
        v->number = strtod(buf, &endp);
        ok = *endp == '\0' || fail(ps, "bad number");
    }
    }
    ps->depth--;
    if (!ok) {
        json_free(v);
        return NULL;
    }
    v->raw_len = (size_t)(ps->p - v->raw);
    return v;
}

json_value *json_parse(const char *text, size_t len, const char **error) {
    parser ps;
    json_value *v;
    char *copy = malloc(len + 1);
    if (!copy) return NULL;
    memcpy(copy, text, len);
    copy[len] = '\0';
    ps.p = copy;
    ps.end = copy + len;
    ps.error = NULL;
    ps.depth = 0;
    v = parse_value(&ps);
    if (v) {
        skip_ws(&ps);
        if (ps.p != ps.end) {
            json_free(v);
            v = NULL;
            fail(&ps, "trailing characters");
        }
    }
    if (!v) {
        free(copy);
        if (error) *error = ps.error ? ps.error : "parse error";
        return NULL;
    }
    v->source = copy;
    return v;
}

json_value *json_parse_str(const char *text) {
    return json_parse(text, strlen(text), NULL);
}

void json_free(json_value *v) {
    size_t i;
    if (!v) return;
    for (i = 0; i < v->count; i++) {
        json_free(v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->string);
    free(v->source);
    free(v);
}

const json_value *json_get(const json_value *v, const char *key) {
    size_t i;
    if (!v || v->type != JSON_OBJECT) return NULL;
    for (i = 0; i < v->count; i++) {
        if (strcmp(v->keys[i], key) == 0) return v->items[i];
    }
    return NULL;
}

const json_value *json_at(const json_value *v, size_t i) {
    if (!v || v->type != JSON_ARRAY || i >= v->count) return NULL;
    return v->items[i];
}

const char *json_string(const json_value *v) {
    return v && v->type == JSON_STRING ? v->string : NULL;
}

char *json_raw_dup(const json_value *v) {
    char *s = malloc(v->raw_len + 1);
    if (s) {
        memcpy(s, v->raw, v->raw_len);
        s[v->raw_len] = '\0';
    }
    return s;
}

int json_equal(const json_value *a, const json_value *b) {
    size_t i;
    if (!a || !b) return a == b;
    if (a->type != b->type) return 0;
    switch (a->type) {
    case JSON_NULL: return 1;
    case JSON_BOOL: return a->boolean == b->boolean;
    case JSON_NUMBER: return a->number == b->number;
    case JSON_STRING:
        return a->string_len == b->string_len && memcmp(a->string, b->string, a->string_len) == 0;
    case JSON_ARRAY:
        if (a->count != b->count) return 0;
        for (i = 0; i < a->count; i++) {
            if (!json_equal(a->items[i], b->items[i])) return 0;
        }
        return 1;
    case JSON_OBJECT:
        if (a->count != b->count) return 0;
        for (i = 0; i < a->count; i++) {
            if (!json_equal(a->items[i], json_get(b, a->keys[i]))) return 0;
        }
        return 1;
    }
    return 0;
}

char *json_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
            if (len) *len = (size_t)n;
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}
