/* Minimal test assertions for the C tests: count failures, print where they happened. */
#ifndef SUNCO_TEST_CHECK_H
#define SUNCO_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

#include "conversations.h"

extern int check_failures;
extern int check_count;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        check_count++;                                                              \
        if (!(cond)) {                                                              \
            check_failures++;                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                           \
    } while (0)

/* Compares two C strings; NULL equals NULL only. */
#define CHECK_STR(got, want)                                                                  \
    do {                                                                                      \
        const char *got_ = (got), *want_ = (want);                                            \
        check_count++;                                                                        \
        if (!(got_ == want_ || (got_ && want_ && strcmp(got_, want_) == 0))) {                \
            check_failures++;                                                                 \
            fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #got, \
                    got_ ? got_ : "(NULL)", want_ ? want_ : "(NULL)");                        \
        }                                                                                     \
    } while (0)

/* Checks that a call returned `want`; on a mismatch prints the error's message. */
#define CHECK_STATUS(got, want, err)                                                           \
    do {                                                                                       \
        sunco_status got_ = (got);                                                             \
        check_count++;                                                                         \
        if (got_ != (sunco_status)(want)) {                                                    \
            const char *msg_ = sunco_error_message(err);                                       \
            check_failures++;                                                                  \
            fprintf(stderr, "%s:%d: %s returned %s, expected %s (%s)\n", __FILE__, __LINE__,     \
                    #got, sunco_status_name(got_), sunco_status_name(want), msg_ ? msg_ : "-"); \
        }                                                                                      \
    } while (0)

#define CHECK_OK(got, err) CHECK_STATUS(got, SUNCO_OK, err)

#endif
