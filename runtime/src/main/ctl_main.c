/* main/ctl_main.c: ctl_main, the main of a controller binary. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/dispatch.h"
#include "lambda/rtapi.h"
#include "serve/serve.h"


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

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap >= (size_t)64 * 1024 * 1024) { /* far past any Lambda payload */
            free(buf);
            return NULL;
        }
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            return NULL;
        }
        buf = bigger;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
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
    /* Lambda runs `bootstrap` with no arguments. */
    if (argc < 2 && getenv("AWS_LAMBDA_RUNTIME_API"))
        return ctli_rtapi_main(prog, hosted, nhosted);
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
    if (strcmp(argv[1], "serve") == 0)
        return ctli_serve_main(prog, argc - 1, argv + 1, hosted, nhosted);
    if (strcmp(argv[1], "invoke") != 0)
        return usage(prog);
    const ctl_controller *target = hosted[0];
    int i = 2;
    if (i + 1 < argc && strcmp(argv[i], "--controller") == 0) {
        target = NULL;
        for (size_t k = 0; k < nhosted; k++)
            if (strcmp(hosted[k]->name, argv[i + 1]) == 0)
                target = hosted[k];
        if (!target) {
            fprintf(stderr, "%s: this binary does not host a controller named %s\n", prog, argv[i + 1]);
            return 2;
        }
        i += 2;
    }
    if (i + 1 != argc)
        return usage(prog);
    char *event;
    size_t len;
    if (strcmp(argv[i], "-") == 0) {
        event = read_all(stdin, &len);
        if (!event) {
            fprintf(stderr, "%s: cannot read the event from stdin\n", prog);
            return 2;
        }
    } else {
        len = strlen(argv[i]);
        event = malloc(len + 1);
        if (!event)
            return 2;
        memcpy(event, argv[i], len + 1);
    }
    /* Handlers may send to controllers hosted here; those run in-process. */
    ctl_client_config cfg = { 0 };
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
