/* serve/options.c: the command line of `BIN serve`: defaults, flags, usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/rules.h"
#include "codec/ctx.h"
#include "serve/options.h"

static void usage(const char *prog, FILE *to)
{
    fprintf(to,
            "usage: %s serve [--listen HOST:PORT] [--region REGION] [--require-auth] [--quiet] [--journal DIR]\n"
            "                [--fsync]\n"
            "                [--idempotency FILE | --idempotency-table NAME]\n"
            "                [--dead-letters FILE] [--destinations DIR] [--workers N] [--retry-delays MS,MS]\n"
            "                [--timeout SECONDS]\n"
            "                [--only NAME,...] [--no-inline] [--max-queue-mb N] [--max-request-mb N]\n"
            "                [--concurrency N] [--max-stuck N]\n"
            "  --listen HOST:PORT    where to listen (default 127.0.0.1:9001; port 0 picks a free one)\n"
            "  --region REGION       serve's region: its ARNs, and the one signatures must be scoped to\n"
            "                        (default AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1)\n"
            "  --require-auth        check SigV4 signatures against AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,\n"
            "                        scoped to serve's region and the service lambda\n"
            "  --quiet               no access log on stderr\n"
            "  --journal DIR         journal of accepted events (default ./ctl-serve-journal)\n"
            "  --fsync               sync the journal to disk before each 202 (survives power loss)\n"
            "  --idempotency FILE    the keys of @idempotent functions, a SQLite file (default\n"
            "                        idempotency.sqlite in the journal's folder)\n"
            "  --idempotency-table NAME  keep them in the DynamoDB table NAME instead (Powertools'\n"
            "                        layout; AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB, credentials)\n"
            "  --dead-letters FILE   failed events, JSON lines (default ./ctl-dead-letters.jsonl)\n"
            "  --destinations DIR    the records for external destinations (@on_failure(sqs: \"q\"), ...),\n"
            "                        DIR/KIND-NAME.jsonl (default: the dead-letter file's folder)\n"
            "  --workers N           threads running events, and as many for sync calls (default 8)\n"
            "  --retry-delays MS,MS  delays before retry 1 and 2 of a failed event (default 1000,2000)\n"
            "  --timeout SECONDS     a handler's time limit (default 3, as in Lambda)\n"
            "  --no-inline           run every RequestResponse call on a runner thread, never on the\n"
            "                        HTTP threads (slower for quick handlers; see the README)\n"
            "  --only NAME,...       serve only these hosted controllers; handlers reach the others\n"
            "                        through the Lambda transport (AWS_ENDPOINT_URL_LAMBDA, ...)\n"
            "  --max-queue-mb N      events accepted and not ended hold at most N MiB in memory; past\n"
            "                        that, 429 TooManyRequestsException (default 256)\n"
            "  --max-request-mb N    requests in progress hold at most N MiB: bodies as they are read\n"
            "                        (at most half of it) and what parsing them may take; past that,\n"
            "                        429 TooManyRequestsException before a byte is parsed (default 1024)\n"
            "  --concurrency N       RequestResponse calls running on runners at once; past that,\n"
            "                        429 TooManyRequestsException (default 1024, the most)\n"
            "  --max-stuck N         threads left in handlers that overran --timeout; past that, none\n"
            "                        is replaced until one returns (default 64)\n",
            prog);
}

int ctli_serve_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

/* --retry-delays MS,MS into o. 0, or -1 after saying why. */
static int retry_delays(const char *prog, const char *v, ctli_serve_options *o)
{
    char one[32], two[32];
    const char *comma = strchr(v, ',');
    unsigned long d1, d2;
    if (!comma || (size_t)(comma - v) >= sizeof one || strlen(comma + 1) >= sizeof two) {
        fprintf(stderr, "%s serve: --retry-delays wants MS,MS, not %s\n", prog, v);
        return -1;
    }
    memcpy(one, v, (size_t)(comma - v));
    one[comma - v] = '\0';
    strcpy(two, comma + 1);
    if (ctli_serve_parse_uint(one, 3600000, &d1) != 0 || ctli_serve_parse_uint(two, 3600000, &d2) != 0) {
        fprintf(stderr, "%s serve: --retry-delays wants two delays in milliseconds (up to an hour), not %s\n", prog,
                v);
        return -1;
    }
    o->retry.delay_ms[0] = (unsigned)d1;
    o->retry.delay_ms[1] = (unsigned)d2;
    return 0;
}

int ctli_serve_options_parse(const char *prog, int argc, char **argv, ctli_serve_options *o)
{
    *o = (ctli_serve_options){
        .listen = "127.0.0.1:9001",
        .workers = 8,
        .retry = { .max_retries = CTLI_ASYNC_MAX_RETRIES, .delay_ms = { CTLI_ASYNC_DELAY1_MS, CTLI_ASYNC_DELAY2_MS } },
        .timeout_ms = 3000,
        .max_sync = CTLI_SERVE_MAX_SYNC_RUNNERS,
        .max_live_bytes = (size_t)CTLI_SERVE_QUEUE_MB << 20,
        .max_request_bytes = (size_t)CTLI_SERVE_REQUEST_MB << 20,
        .max_stuck = CTLI_SERVE_MAX_STUCK,
        .journal_dir = "ctl-serve-journal",
        .dead_letter_path = "ctl-dead-letters.jsonl",
    };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long num;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(prog, stdout);
            return 1;
        } else if (strcmp(a, "--require-auth") == 0) {
            o->require_auth = true;
        } else if (strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--no-inline") == 0) {
            o->no_inline = true;
        } else if (strcmp(a, "--fsync") == 0) {
            o->fsync_each = true;
        } else if (!v) {
            fprintf(stderr, "%s serve: unknown option or missing value: %s\n", prog, a);
            goto usage_error;
        } else if (strcmp(a, "--listen") == 0) {
            o->listen = v, i++;
        } else if (strcmp(a, "--region") == 0) {
            if (!ctli_rule_region_ok(v, strlen(v)) || strlen(v) >= 64) {
                fprintf(stderr, "%s serve: --region wants a region name like eu-west-3, not %s\n", prog, v);
                goto usage_error;
            }
            o->region = v, i++;
        } else if (strcmp(a, "--only") == 0) {
            o->only = v, i++;
        } else if (strcmp(a, "--journal") == 0) {
            o->journal_dir = v, i++;
        } else if (strcmp(a, "--idempotency") == 0) {
            o->idempotency_path = v, i++;
        } else if (strcmp(a, "--idempotency-table") == 0) {
            o->idempotency_table = v, i++;
        } else if (strcmp(a, "--dead-letters") == 0) {
            o->dead_letter_path = v, i++;
        } else if (strcmp(a, "--destinations") == 0) {
            o->destination_dir = v, i++;
        } else if (strcmp(a, "--workers") == 0) {
            if (ctli_serve_parse_uint(v, 256, &num) != 0 || num == 0) {
                fprintf(stderr, "%s serve: --workers wants a number from 1 to 256, not %s\n", prog, v);
                goto usage_error;
            }
            o->workers = (int)num, i++;
        } else if (strcmp(a, "--concurrency") == 0) {
            if (ctli_serve_parse_uint(v, CTLI_SERVE_MAX_SYNC_RUNNERS, &num) != 0 || num == 0) {
                fprintf(stderr, "%s serve: --concurrency wants a number from 1 to %d, not %s\n", prog,
                        CTLI_SERVE_MAX_SYNC_RUNNERS, v);
                goto usage_error;
            }
            o->max_sync = (int)num, i++;
        } else if (strcmp(a, "--max-queue-mb") == 0) {
            /* At least one event of the largest size fits. */
            if (ctli_serve_parse_uint(v, 1024 * 1024, &num) != 0 || num == 0) {
                fprintf(stderr, "%s serve: --max-queue-mb wants a number from 1 to 1048576, not %s\n", prog, v);
                goto usage_error;
            }
            o->max_live_bytes = (size_t)num << 20, i++;
        } else if (strcmp(a, "--max-request-mb") == 0) {
            /* A body of the largest size and its parse fit in the half
             * that bodies being read cannot take (memory.h), so one such
             * call can always run. One to a controller that holds_json
             * reserves more (at most CTLI_INVOCATION_MEMORY), which
             * still fits in the whole of this budget. */
            size_t least = 2 * (CTL_MAX_SYNC_PAYLOAD + 1 + ctli_parse_cost(CTL_MAX_SYNC_PAYLOAD, false));
            unsigned long least_mb = (unsigned long)((least + (1u << 20) - 1) >> 20);
            if (ctli_serve_parse_uint(v, 1024 * 1024, &num) != 0 || num < least_mb) {
                fprintf(stderr,
                        "%s serve: --max-request-mb wants a number from %lu (twice a body of the largest size, %u "
                        "bytes, and its parse) to 1048576, not %s\n",
                        prog, least_mb, CTL_MAX_SYNC_PAYLOAD, v);
                goto usage_error;
            }
            o->max_request_bytes = (size_t)num << 20, i++;
        } else if (strcmp(a, "--max-stuck") == 0) {
            if (ctli_serve_parse_uint(v, 4096, &num) != 0) {
                fprintf(stderr, "%s serve: --max-stuck wants a number from 0 to 4096, not %s\n", prog, v);
                goto usage_error;
            }
            o->max_stuck = (int)num, i++;
        } else if (strcmp(a, "--timeout") == 0) {
            if (ctli_serve_parse_uint(v, CTLI_RULE_TIMEOUT_MAX_S, &num) != 0 || num == 0) {
                fprintf(stderr, "%s serve: --timeout wants seconds from 1 to %d (Lambda's range), not %s\n",
                        prog, CTLI_RULE_TIMEOUT_MAX_S, v);
                goto usage_error;
            }
            o->timeout_ms = (unsigned)num * 1000u, i++;
        } else if (strcmp(a, "--retry-delays") == 0) {
            if (retry_delays(prog, v, o) != 0)
                goto usage_error;
            i++;
        } else {
            fprintf(stderr, "%s serve: unknown option %s\n", prog, a);
            goto usage_error;
        }
    }
    if (o->idempotency_path && o->idempotency_table) {
        fprintf(stderr, "%s serve: --idempotency and --idempotency-table name two stores; give one\n", prog);
        goto usage_error;
    }
    return 0;
usage_error:
    return 2;
}
