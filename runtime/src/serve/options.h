/* serve/options.h: the command line of `BIN serve` (options.c). */
#ifndef CTL_SERVE_OPTIONS_H
#define CTL_SERVE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/private.h"
#include "client/async.h"

CTLI_BEGIN_PRIVATE

#define CTLI_SERVE_MAX_SYNC_RUNNERS 1024 /* Lambda's default concurrency, 1,000: --concurrency's default */
#define CTLI_SERVE_QUEUE_MB 256          /* events' bytes in memory before 429 (--max-queue-mb) */
#define CTLI_SERVE_REQUEST_MB 1024       /* requests' bodies and parses (--max-request-mb) */
#define CTLI_SERVE_MAX_STUCK 64          /* threads left in handlers that overran (--max-stuck) */

typedef struct ctli_serve_options {
    const char *listen;                  /* HOST:PORT */
    int workers;                         /* async workers */
    ctli_retry_policy retry;             /* Lambda's retries, --retry-delays */
    unsigned timeout_ms;                 /* a handler's time limit */
    int max_sync;                        /* --concurrency: sync calls running on runners at once */
    size_t max_live_bytes;               /* --max-queue-mb */
    size_t max_request_bytes;            /* --max-request-mb: bodies and parses of requests in progress */
    int max_stuck;                       /* --max-stuck: threads left in handlers that overran */
    bool quiet, require_auth, fsync_each, no_inline;
    const char *journal_dir, *dead_letter_path;
    const char *idempotency_path;        /* --idempotency; NULL: DIR/idempotency.sqlite of --journal */
    const char *idempotency_table;       /* --idempotency-table: a DynamoDB table instead; NULL: none */
    const char *destination_dir;         /* --destinations; NULL: the dead-letter file's folder */
    const char *only;                    /* --only: the controllers served (NULL: all hosted) */
    const char *region;                  /* --region: serve's own (NULL: AWS_REGION, AWS_DEFAULT_REGION,
                                            us-east-1) */
} ctli_serve_options;

/* Reads argv (argv[0] is "serve") into *o, defaults first. Returns 0; 1
 * after printing the help (--help: exit 0); 2 after a usage error was
 * printed. */
int ctli_serve_options_parse(const char *prog, int argc, char **argv, ctli_serve_options *o);

/* A decimal number from 0 to max, digits only, into *out. 0 or -1. */
int ctli_serve_parse_uint(const char *s, unsigned long max, unsigned long *out);

CTLI_END_PRIVATE

#endif
