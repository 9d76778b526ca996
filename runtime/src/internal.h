/* internal.h: libctl's private declarations, shared by its source files. */
#ifndef CTL_INTERNAL_H
#define CTL_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/ctl.h"
#include "ctl/gen.h"
#include "ctl/json.h"

#include "base/clock.h"
#include "base/hex.h"
#include "base/strtod.h"
#include "base/utf8.h"

/* A bump allocator; see arena.c. limit (0 = none) caps what one invocation
 * may take, so a hostile event fails cleanly instead of exhausting memory. */
typedef struct ctl_arena {
    struct ctl_block *head;
    size_t total, limit;
} ctl_arena;

void ctl_arena_init(ctl_arena *a);
void ctl_arena_reset(ctl_arena *a);
void ctl_arena_free(ctl_arena *a);
void *ctl_arena_alloc(ctl_arena *a, size_t n);
void *ctl_arena_zalloc(ctl_arena *a, size_t n);

/* What one invocation may allocate: generous for any event Lambda accepts
 * (6 MB), small enough that a hostile one cannot take the machine. */
#define CTL_INVOCATION_MEMORY (256u * 1024u * 1024u)

/* What the Lambda Runtime API says of one invocation (the headers of
 * GET /next). Borrowed by the ctx for the call; NULL strings are absent. */
typedef struct ctl_invocation_meta {
    const char *request_id;
    const char *function_arn;
    const char *trace_id;
    const char *client_context;
    const char *cognito_identity;
    int64_t deadline_ms;        /* ms since the epoch; 0 = none */
} ctl_invocation_meta;

struct ctl_ctx {
    ctl_arena arena;
    ctl_status status;          /* first error wins */
    char *error_type;           /* in the arena */
    char *error_message;        /* in the arena */
    const char *controller, *function;
    uint64_t request_number;     /* formatted into request_id on first use */
    char request_id[40];
    int attempt;
    const ctl_invocation_meta *meta; /* NULL outside the Lambda runtime loop */
    ctl_client *client;
    void *user;
    struct cJSON **trees;       /* json fields to delete at the end (malloc'd array) */
    size_t ntrees, cap_trees;
};

void ctl_ctx_init(ctl_ctx *ctx);
/* Deletes json trees and resets the arena (keeps its biggest block). */
void ctl_ctx_reset(ctl_ctx *ctx);
/* Frees everything the ctx holds. */
void ctl_ctx_free(ctl_ctx *ctx);
/* Sets the error unless one is set; returns -1. error_type NULL means the
 * status's own type. */
int ctl_ctx_error(ctl_ctx *ctx, ctl_status status, const char *error_type, const char *fmt, ...)
    CTL_PRINTF(4, 5);
int ctl_ctx_verror(ctl_ctx *ctx, ctl_status status, const char *error_type, const char *fmt, va_list ap);

/* Fills resp with the Lambda error object of status/type/message (all
 * copied). Returns status. */
ctl_status ctl_response_error(ctl_response *resp, ctl_status status, const char *type, const char *message);

/* Appends the JSON text of a path ("$.a[2]") to b. */
void ctl_path_format(ctl_buf *b, const ctl_path *path);

/* ctl_dispatch with what the transports know: the user pointer handlers
 * see and how many times the event was tried before. */
ctl_status ctl_dispatch_attempt(const ctl_controller *c, const char *event, size_t len, ctl_client *client,
                                void *user, int attempt, ctl_response *resp);

/* ctl_dispatch for the Lambda runtime loop: handlers see meta (borrowed for
 * the call) through the ctx accessors. */
ctl_status ctl_dispatch_meta(const ctl_controller *c, const char *event, size_t len, ctl_client *client,
                             const ctl_invocation_meta *meta, ctl_response *resp);

/* The Lambda custom-runtime loop (lambda_runtime.c), run by ctl_main when
 * AWS_LAMBDA_RUNTIME_API is set and no subcommand is given. Returns the
 * process's exit status (it returns only when the Runtime API fails or
 * start-up fails). */
int ctl_lambda_main(const char *prog, const ctl_controller *const *hosted, size_t nhosted);

/* Crash reports of the runtime loop (lambda_crash.c). init resolves the
 * Runtime API's address (HOST:PORT) and installs the signal handlers; arm
 * prepares the error POST for a request (its id already URL-escaped) and
 * disarm ends it. init and arm return 0, or -1 when they cannot (arm: also
 * when a thread is already reporting a crash). Only the process that armed
 * reports: a forked child's crash is not the invocation's. */
int ctl_crash_init(const char *api);
int ctl_crash_arm(const char *api, const char *request_id_escaped, const char *controller);
void ctl_crash_disarm(void);

/* Frees the calling thread's cached invocation context (worker threads and
 * ctl_main call it before they end). */
void ctl_thread_release(void);

/* Appends one dead-letter line to b: {"time","controller","attempts",
 * "errorType","errorMessage","event"} and a newline. event (len bytes,
 * NUL-terminated) goes in as JSON when event_is_json and it holds no
 * newline, else as a string. Shared by the client's sink and serve. */
void ctl_dead_letter_line(ctl_buf *b, const char *controller, int attempts, const char *error_type,
                          const char *error_message, const char *event, size_t len, bool event_is_json);

/* Appends line (len bytes, a whole line) to the file at path, made when
 * missing, with one write() on an O_APPEND descriptor: the lines of several
 * writers (serve's and its client's, other processes) never interleave, as
 * they did through stdio, which writes a line longer than its buffer in two.
 * With sync, fsync()s it too. 0, or -1 with errno set. */
int ctl_dead_letter_append(const char *path, const char *line, size_t len, bool sync);

#endif
