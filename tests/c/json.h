/* A small JSON reader for the C tests only: parse, look up, compare. Not part of the library. */
#ifndef SUNCO_TEST_JSON_H
#define SUNCO_TEST_JSON_H

#include <stddef.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json_value json_value;
struct json_value {
    json_type type;
    int boolean;          /* JSON_BOOL */
    double number;        /* JSON_NUMBER */
    char *string;         /* JSON_STRING: decoded UTF-8, NUL-terminated */
    size_t string_len;    /* bytes in string (it may contain NUL) */
    size_t count;         /* JSON_ARRAY / JSON_OBJECT: number of items */
    json_value **items;   /* the items (values of an object) */
    char **keys;          /* JSON_OBJECT: decoded keys, same order as items */
    const char *raw;      /* where the value's text starts in the parsed document */
    size_t raw_len;       /* and its length */
    char *source;         /* root only: the copy of the text that `raw` points into */
};

/* Parses `len` bytes of JSON. Returns NULL on error and, if `error` is not NULL, writes a
 * static description there. Free the result with json_free. */
json_value *json_parse(const char *text, size_t len, const char **error);
/* The whole file at `path`, NUL-terminated, malloc'd (free it), with its length in `*len` when
 * `len` is not NULL; NULL when it cannot be read. */
char *json_read_file(const char *path, size_t *len);
/* Parses a NUL-terminated text. */
json_value *json_parse_str(const char *text);
void json_free(json_value *v);

/* The member `key` of an object, or NULL (also when `v` is NULL or not an object). */
const json_value *json_get(const json_value *v, const char *key);
/* Item `i` of an array, or NULL. */
const json_value *json_at(const json_value *v, size_t i);
/* The string of a JSON_STRING, or NULL. */
const char *json_string(const json_value *v);
/* A malloc'd copy of the value's source text (NUL-terminated). */
char *json_raw_dup(const json_value *v);
/* Deep equality: objects regardless of key order, numbers by value. NULL equals NULL only. */
int json_equal(const json_value *a, const json_value *b);

#endif
