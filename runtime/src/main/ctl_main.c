/* main/ctl_main.c: ctl_main, the main of a controller binary. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/gen.h"
#include "ctl/json.h"

#include "base/parts.h"
#include "codec/arena.h"
#include "codec/ctx.h"
#include "codec/dispatch.h"
#include "codec/response.h"


static int usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s invoke [--controller NAME] EVENT_JSON   run one event, print the response\n"
            "       %s invoke [--controller NAME] -            read the event from stdin\n"
            "       %s list                                    show the hosted controllers\n"
            "       %s serve [--listen HOST:PORT] [OPTIONS]    the Lambda Invoke API on HTTP (--help)\n"
            "exit status: 0 success, 1 function error (the error object is printed), 2 usage error\n",
            prog, prog, prog, prog);
    return 2;
}

/* What `invoke -` reads at most: far past any Lambda payload (6 MB), and a
 * quarter of an invocation's memory. */
#define STDIN_MAX ((size_t)64 * 1024 * 1024)

typedef enum { READ_OK, READ_TOO_LARGE, READ_NOMEM, READ_IO } read_outcome;

/* All of f, at most STDIN_MAX bytes, into *out (malloc'd, NUL-terminated). */
static read_outcome read_all(FILE *f, char **out, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    *out = NULL;
    if (!buf)
        return READ_NOMEM;
    for (;;) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap >= STDIN_MAX) {
            /* One more byte says whether it ends exactly at the limit. */
            int c = fgetc(f);
            if (c == EOF && !ferror(f))
                break;
            free(buf);
            return c == EOF ? READ_IO : READ_TOO_LARGE;
        }
        size_t bigger_cap = cap * 2 > STDIN_MAX ? STDIN_MAX : cap * 2;
        char *bigger = realloc(buf, bigger_cap + 1);
        if (!bigger) {
            free(buf);
            return READ_NOMEM;
        }
        buf = bigger;
        cap = bigger_cap;
    }
    if (ferror(f)) {
        free(buf);
        return READ_IO;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return READ_OK;
}

/* Prints the error object of a failure that no controller answered. */
static int print_error(ctl_status status, const char *message)
{
    ctl_response resp;
    ctli_response_error(&resp, status, NULL, message);
    printf("%s\n", resp.body ? resp.body : "{\"errorType\":\"ctl.OutOfMemory\",\"errorMessage\":\"out of memory\"}");
    ctl_response_free(&resp);
    return 1;
}

/* "a, b and c": the hosted controllers, for messages. */
static void list_hosted(ctl_buf *b, const ctl_controller *const *hosted, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (k)
            ctl_buf_put(b, k + 1 == n ? " and " : ", ", k + 1 == n ? 5 : 2);
        ctl_buf_put(b, hosted[k]->name, strlen(hosted[k]->name));
    }
}

typedef enum {
    ROUTE_ONE,         /* *target answers */
    ROUTE_ANY,         /* the event is refused before its function matters: any controller says why */
    ROUTE_NO_FUNCTION, /* an object without "function" */
    ROUTE_NONE,        /* no hosted controller has the function */
    ROUTE_SEVERAL      /* more than one has it */
} route_kind;

/* Which hosted controller an event is for: the one that has the function
 * its "function" field names. *name gets that name as a JSON string (for
 * messages), cut to 100 bytes. */
static route_kind route_event(const ctl_controller *const *hosted, size_t n, const char *event, size_t len,
                              const ctl_controller **target, ctl_buf *name, size_t *count)
{
    ctl_arena arena;
    ctli_arena_init(&arena);
    arena.limit = CTLI_INVOCATION_MEMORY;
    ctl_json_error err;
    const ctl_json *root = ctl_json_parse(&arena, event, len, &err), *fn = NULL;
    route_kind kind = ROUTE_ANY;
    *count = 0;
    if (root && root->type == CTL_JSON_OBJECT) {
        size_t seen = 0;
        for (const ctl_json *m = root->child; m; m = m->next)
            if (m->key_len == 8 && memcmp(m->key, "function", 8) == 0 && seen++ == 0)
                fn = m;
        if (seen == 0)
            kind = ROUTE_NO_FUNCTION;
        else if (seen > 1) /* a duplicate: refused whoever reads it */
            fn = NULL;
    }
    if (fn && fn->type == CTL_JSON_STRING && !fn->flags) {
        for (size_t k = 0; k < n; k++)
            if (ctl_controller_find(hosted[k], fn->str, fn->len)) {
                if (++*count == 1)
                    *target = hosted[k];
            }
        kind = *count == 1 ? ROUTE_ONE : *count == 0 ? ROUTE_NONE : ROUTE_SEVERAL;
        if (ctl_write_string(name, fn->len > 100 ? "(a long name)" : fn->str) || name->failed)
            CTL_BUF_LIT(name, "?");
    }
    ctli_arena_free(&arena);
    return kind;
}

int ctl_main(int argc, char **argv, const ctl_controller *first, ...)
{
    enum { MAX_HOSTED = 64 };
    const ctl_controller *hosted[MAX_HOSTED];
    size_t nhosted = 0, given = 0;
    va_list ap;
    va_start(ap, first);
    /* Counted to the NULL, so that a list too long is refused, not cut. */
    for (const ctl_controller *c = first; c; c = va_arg(ap, const ctl_controller *), given++)
        if (given < MAX_HOSTED)
            hosted[nhosted++] = c;
    va_end(ap);
    /* argv as main gets it; a NULL argv, or NULL before argc, ends it. */
    if (!argv || argc < 0)
        argc = 0;
    for (int k = 0; k < argc; k++)
        if (!argv[k]) {
            argc = k;
            break;
        }
    const char *prog = argc > 0 ? argv[0] : "controller";
    if (nhosted == 0) {
        fprintf(stderr, "%s: no controllers are hosted\n", prog);
        return 2;
    }
    if (given > MAX_HOSTED) {
        fprintf(stderr, "%s: %zu controllers are hosted, but ctl_main hosts at most %d\n", prog, given,
                (int)MAX_HOSTED);
        return 2;
    }
    for (size_t k = 0; k < nhosted; k++)
        if (!hosted[k]->name || (!hosted[k]->functions && hosted[k]->count)) {
            fprintf(stderr, "%s: hosted controller %zu of %zu is malformed (no name, or no functions)\n", prog, k + 1,
                    nhosted);
            return 2;
        }
    /* Lambda runs `bootstrap` with no arguments. The loop and serve are
     * parts of their own (base/parts.h): there when the program links them. */
    if (argc < 2 && getenv("AWS_LAMBDA_RUNTIME_API")) {
        if (!ctli_linked.rtapi_main) {
            fprintf(stderr, "%s: AWS_LAMBDA_RUNTIME_API is set, but %s\n", prog,
                    CTLI_PART_MISSING("rtapi", "the Lambda Runtime API loop"));
            return 2;
        }
        return ctli_linked.rtapi_main(prog, hosted, nhosted);
    }
    if (argc < 2)
        return usage(prog);
    if (strcmp(argv[1], "list") == 0) {
        for (size_t i = 0; i < nhosted; i++) {
            printf("%s\n", hosted[i]->name);
            for (size_t k = 0; k < hosted[i]->count; k++)
                printf("  %s %s\n", hosted[i]->functions[k].is_async ? "async fn" : "fn",
                       hosted[i]->functions[k].name);
        }
        return 0;
    }
    if (strcmp(argv[1], "serve") == 0) {
        if (!ctli_linked.serve_main) {
            fprintf(stderr, "%s: serve: %s\n", prog, CTLI_PART_MISSING("serve", "the local Invoke endpoint"));
            return 2;
        }
        return ctli_linked.serve_main(prog, argc - 1, argv + 1, hosted, nhosted);
    }
    if (strcmp(argv[1], "invoke") != 0)
        return usage(prog);
    const ctl_controller *target = NULL;
    int i = 2;
    if (i + 1 < argc && strcmp(argv[i], "--controller") == 0) {
        for (size_t k = 0; k < nhosted; k++)
            if (strcmp(hosted[k]->name, argv[i + 1]) == 0)
                target = hosted[k];
        if (!target) {
            ctl_buf names = CTL_BUF_INIT;
            list_hosted(&names, hosted, nhosted);
            fprintf(stderr, "%s: this binary hosts no controller named %s (it hosts %.*s)\n", prog, argv[i + 1],
                    (int)names.len, names.data ? names.data : "");
            ctl_buf_free(&names);
            return 2;
        }
        i += 2;
    }
    if (i + 1 != argc)
        return usage(prog);
    char *event;
    size_t len;
    if (strcmp(argv[i], "-") == 0) {
        switch (read_all(stdin, &event, &len)) {
        case READ_OK:
            break;
        case READ_TOO_LARGE:
            fprintf(stderr, "%s: the event on stdin is larger than %zu MiB (%zu bytes), the most invoke reads "
                            "(Lambda itself takes at most %u bytes for a RequestResponse call)\n",
                    prog, STDIN_MAX / (1024 * 1024), STDIN_MAX, CTL_MAX_SYNC_PAYLOAD);
            return 2;
        case READ_NOMEM:
            fprintf(stderr, "%s: out of memory reading the event from stdin\n", prog);
            return 2;
        default:
            fprintf(stderr, "%s: cannot read the event from stdin: %s\n", prog, strerror(errno));
            return 2;
        }
    } else {
        len = strlen(argv[i]);
        event = malloc(len + 1);
        if (!event) {
            fprintf(stderr, "%s: out of memory copying the event\n", prog);
            return 2;
        }
        memcpy(event, argv[i], len + 1);
    }
    /* No --controller: the event says which, by its function. */
    if (!target && nhosted == 1) {
        target = hosted[0];
    } else if (!target) {
        ctl_buf name = CTL_BUF_INIT, names = CTL_BUF_INIT;
        size_t count;
        route_kind kind = route_event(hosted, nhosted, event, len, &target, &name, &count);
        list_hosted(&names, hosted, nhosted);
        int rc = -1;
        char text[1024];
        if (kind == ROUTE_ANY) {
            target = hosted[0]; /* not JSON, not an object...: every controller says the same */
        } else if (kind == ROUTE_NO_FUNCTION) {
            snprintf(text, sizeof text,
                     "the event has no \"function\" field naming the function to run; this binary hosts %.*s "
                     "(or choose one with --controller NAME)",
                     (int)names.len, names.data ? names.data : "");
            rc = print_error(CTL_ERR_INVALID_EVENT, text);
        } else if (kind == ROUTE_NONE) {
            snprintf(text, sizeof text,
                     "no controller hosted here has a function %.*s; this binary hosts %.*s (choose one with "
                     "--controller NAME)",
                     (int)name.len, name.data ? name.data : "", (int)names.len, names.data ? names.data : "");
            rc = print_error(CTL_ERR_UNKNOWN_FUNCTION, text);
        } else if (kind == ROUTE_SEVERAL) {
            fprintf(stderr, "%s: %zu of the controllers hosted here (%.*s) have a function %.*s: choose one with "
                            "--controller NAME\n",
                    prog, count, (int)names.len, names.data ? names.data : "", (int)name.len,
                    name.data ? name.data : "");
            rc = 2;
        }
        ctl_buf_free(&name);
        ctl_buf_free(&names);
        if (rc >= 0) {
            free(event);
            fflush(stdout);
            return rc;
        }
    }
    /* Handlers may send to controllers hosted here; those run in-process.
     * No idempotency store: the invoked function runs without one (as on
     * the Runtime API loop), and a one-shot command leaves no file behind
     * in a folder that may not be writable. */
    ctl_client_config cfg = { 0 };
    cfg.idempotency_path = "";
    ctl_client *client = ctl_client_new(&cfg);
    for (size_t k = 0; client && k < nhosted; k++)
        if (ctl_client_register(client, hosted[k]) != CTL_OK)
            break;
    ctl_response resp;
    ctl_status status = ctl_dispatch(target, event, len, client, &resp);
    free(event);
    if (resp.body)
        printf("%s\n", resp.body);
    else
        printf("{\"errorType\":\"ctl.OutOfMemory\",\"errorMessage\":\"out of memory\"}\n");
    fflush(stdout);
    ctl_response_free(&resp);
    ctl_client_free(client);
    ctli_thread_release();
    return status == CTL_OK ? 0 : 1;
}
