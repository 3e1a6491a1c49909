/* Driver for the C library libconversations (include/conversations.h).
 * Protocol (key=value arguments, one JSON line on stdout): bench/README.md.
 * Workloads: get (sequential), concurrent (`conc` threads sharing one client),
 * list (walks pages with sunco_conversations_list), cold (one get). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "conversations.h"

static uint64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t cpu_ns(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
           ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
}

static int g_argc;
static char **g_argv;

static const char *arg(const char *key, const char *def) {
    size_t n = strlen(key);
    for (int i = 1; i < g_argc; i++)
        if (strncmp(g_argv[i], key, n) == 0 && g_argv[i][n] == '=') return g_argv[i] + n + 1;
    if (!def) {
        fprintf(stderr, "c_driver: missing argument %s=...\n", key);
        exit(2);
    }
    return def;
}

static long num(const char *key, long def) {
    const char *v = arg(key, "");
    return *v ? strtol(v, NULL, 10) : def;
}

static void die(const char *what, sunco_status st, sunco_error *err) {
    fprintf(stderr, "c_driver: %s failed: %s: %s\n", what, sunco_status_name(st),
            err ? sunco_error_message(err) : "(no error)");
    sunco_error_free(err);
    exit(1);
}

static char **g_ids;
static size_t g_nids;

static void load_ids(void) {
    const char *path = arg("ids", NULL);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    char line[256];
    size_t cap = 64;
    g_ids = malloc(cap * sizeof *g_ids);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) continue;
        if (g_nids == cap) g_ids = realloc(g_ids, (cap *= 2) * sizeof *g_ids);
        g_ids[g_nids++] = strdup(line);
    }
    fclose(f);
    if (!g_nids) {
        fprintf(stderr, "c_driver: %s is empty\n", path);
        exit(2);
    }
}

static sunco_client *g_client;
static const char *g_app;

static void get_one(const char *id) {
    char *json = NULL;
    sunco_error *err = NULL;
    sunco_status st = sunco_conversations_get(g_client, g_app, id, &json, &err);
    if (st != SUNCO_OK) die("sunco_conversations_get", st, err);
    if (!strstr(json, id)) {
        fprintf(stderr, "c_driver: asked for %s, got %.200s\n", id, json);
        exit(1);
    }
    sunco_string_free(json);
}

static void print_lat(const uint64_t *lat, size_t n) {
    fputs(",\"lat_ns\":[", stdout);
    for (size_t i = 0; i < n; i++) printf(i ? ",%llu" : "%llu", (unsigned long long)lat[i]);
    fputs("]}\n", stdout);
}

/* ---- concurrent: `conc` threads, each taking the next index until `total` are done. */
static atomic_size_t g_next;
static size_t g_total;
static uint64_t *g_lat;

static void *worker(void *unused) {
    (void)unused;
    for (;;) {
        size_t i = atomic_fetch_add(&g_next, 1);
        if (i >= g_total) return NULL;
        uint64_t s = mono_ns();
        get_one(g_ids[i % g_nids]);
        if (g_lat) g_lat[i] = mono_ns() - s;
    }
}

static void fan_out(size_t total, long conc, uint64_t *lat) {
    pthread_t *threads = malloc((size_t)conc * sizeof *threads);
    atomic_store(&g_next, 0);
    g_total = total;
    g_lat = lat;
    for (long t = 0; t < conc; t++)
        if (pthread_create(&threads[t], NULL, worker, NULL) != 0) {
            fprintf(stderr, "c_driver: pthread_create failed\n");
            exit(1);
        }
    for (long t = 0; t < conc; t++) pthread_join(threads[t], NULL);
    free(threads);
}

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* The string value of "key":"..." in json (first occurrence) into out, or 0 if absent. */
static int str_field(const char *json, const char *key, char *out, size_t cap) {
    const char *p = strstr(json, key);
    if (!p) return 0;
    p += strlen(key);
    const char *q = strchr(p, '"');
    if (!q || (size_t)(q - p) >= cap) return 0;
    memcpy(out, p, (size_t)(q - p));
    out[q - p] = 0;
    return 1;
}

int main(int argc, char **argv) {
    uint64_t t_main = mono_ns();
    g_argc = argc;
    g_argv = argv;
    const char *workload = arg("workload", NULL);
    g_app = arg("app", NULL);

    sunco_error *err = NULL;
    sunco_status st;
    sunco_options *opts = sunco_options_new();
    if (!opts) die("sunco_options_new", SUNCO_INTERNAL, NULL);
    if ((st = sunco_options_set_base_url(opts, arg("url", NULL), &err))) die("set_base_url", st, err);
    if ((st = sunco_options_set_basic_auth(opts, arg("key", NULL), arg("secret", NULL), &err)))
        die("set_basic_auth", st, err);
    if ((st = sunco_options_set_max_retries(opts, 0, &err))) die("set_max_retries", st, err);
    if ((st = sunco_client_new(opts, &g_client, &err))) die("sunco_client_new", st, err);
    sunco_options_free(opts);
    uint64_t t_ready = mono_ns();
    load_ids();

    if (strcmp(workload, "cold") == 0) {
        get_one(g_ids[0]);
        uint64_t t_first = mono_ns();
        printf("{\"workload\":\"cold\",\"requests\":1,\"t_main_ns\":%llu,\"t_ready_ns\":%llu,"
               "\"t_first_ns\":%llu}\n",
               (unsigned long long)t_main, (unsigned long long)t_ready, (unsigned long long)t_first);
    } else if (strcmp(workload, "get") == 0) {
        size_t n = (size_t)num("n", 5000);
        long warm = num("warmup", 100);
        for (long i = 0; i < warm; i++) get_one(g_ids[(size_t)i % g_nids]);
        uint64_t *lat = malloc(n * sizeof *lat);
        uint64_t cpu0 = cpu_ns(), t0 = mono_ns();
        for (size_t i = 0; i < n; i++) {
            uint64_t s = mono_ns();
            get_one(g_ids[i % g_nids]);
            lat[i] = mono_ns() - s;
        }
        uint64_t t1 = mono_ns(), cpu1 = cpu_ns();
        printf("{\"workload\":\"get\",\"requests\":%zu,\"wall_ns\":%llu,\"cpu_ns\":%llu", n,
               (unsigned long long)(t1 - t0), (unsigned long long)(cpu1 - cpu0));
        print_lat(lat, n);
    } else if (strcmp(workload, "concurrent") == 0) {
        size_t n = (size_t)num("n", 10000);
        long conc = num("conc", 64), warm = num("warmup", 100);
        if (conc < 1) conc = 1;
        fan_out((size_t)(warm > conc ? warm : conc), conc, NULL);
        uint64_t *lat = malloc(n * sizeof *lat);
        uint64_t cpu0 = cpu_ns(), t0 = mono_ns();
        fan_out(n, conc, lat);
        uint64_t t1 = mono_ns(), cpu1 = cpu_ns();
        printf("{\"workload\":\"concurrent\",\"requests\":%zu,\"concurrency\":%ld,\"wall_ns\":%llu,"
               "\"cpu_ns\":%llu",
               n, conc, (unsigned long long)(t1 - t0), (unsigned long long)(cpu1 - cpu0));
        print_lat(lat, n);
    } else if (strcmp(workload, "list") == 0) {
        const char *user = arg("user", "bench");
        long size = num("size", 100), expect = num("expect", 0);
        get_one(g_ids[0]); /* warm-up: opens the connection */
        size_t cap = 64, pages = 0, items = 0;
        uint64_t *lat = malloc(cap * sizeof *lat);
        char after[128] = "", params[512];
        uint64_t cpu0 = cpu_ns(), t0 = mono_ns();
        for (;;) {
            if (*after)
                snprintf(params, sizeof params,
                         "{\"filter\":{\"userExternalId\":\"%s\"},\"page\":{\"size\":%ld,\"after\":\"%s\"}}",
                         user, size, after);
            else
                snprintf(params, sizeof params,
                         "{\"filter\":{\"userExternalId\":\"%s\"},\"page\":{\"size\":%ld}}", user, size);
            char *json = NULL;
            uint64_t s = mono_ns();
            st = sunco_conversations_list(g_client, g_app, params, &json, &err);
            if (st != SUNCO_OK) die("sunco_conversations_list", st, err);
            if (pages == cap) lat = realloc(lat, (cap *= 2) * sizeof *lat);
            lat[pages++] = mono_ns() - s;
            /* Each emulator conversation has exactly one "id" member. */
            items += count(json, "\"id\":\"");
            int more = strstr(json, "\"hasMore\":true") != NULL;
            int has_cursor = str_field(json, "\"afterCursor\":\"", after, sizeof after);
            sunco_string_free(json);
            if (!more) break;
            if (!has_cursor) {
                fprintf(stderr, "c_driver: hasMore without afterCursor\n");
                return 1;
            }
        }
        uint64_t t1 = mono_ns(), cpu1 = cpu_ns();
        if (expect && (long)items != expect) {
            fprintf(stderr, "c_driver: walked %zu conversations, expected %ld\n", items, expect);
            return 1;
        }
        printf("{\"workload\":\"list\",\"requests\":%zu,\"items\":%zu,\"wall_ns\":%llu,\"cpu_ns\":%llu",
               pages, items, (unsigned long long)(t1 - t0), (unsigned long long)(cpu1 - cpu0));
        print_lat(lat, pages);
    } else {
        fprintf(stderr, "c_driver: unknown workload %s\n", workload);
        return 2;
    }
    fflush(stdout);
    sunco_client_free(g_client);
    return 0;
}
