/* client.c: ctl_client with the in-process transport and the routing to the
 * Lambda transport (lambda/invoke.c); the stubs' calls are in stub.c.
 *
 * _send copies the event into a job and queues it; worker threads run jobs
 * through ctl_dispatch. A job that fails is tried again after a delay, up to
 * max_retries times (Lambda's rule for async events: two retries), and then
 * goes to the failure sink: the on_failure callback and a JSON-lines
 * dead-letter file. Every accepted job ends in exactly one of: success, the
 * sink. _call runs the event on the caller's thread.
 *
 * A controller that is not registered goes to Lambda once
 * ctl_client_use_lambda() was called; its function name comes from
 * ctl_client_route(), else CTL_FUNCTION_<NAME>, else the controller's name,
 * resolved once and cached. Remote sends that fail for good reach the same
 * failure sink. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl/gen.h"

#include "base/clock.h"
#include "client/sink.h"
#include "codec/dispatch.h"
#include "codec/response.h"
#include "lambda/lambda.h"


typedef struct job {
    struct job *next;
    const ctl_controller *controller;
    uint64_t due_ms;            /* when a retry may run */
    int attempt;
    size_t len;
    char event[];               /* len bytes, then a NUL */
} job;

typedef struct route {
    const char *name;
    const ctl_controller *controller;
} route;

/* A controller reached on Lambda, and its function's encoded path segment. */
typedef struct remote {
    char *controller;
    char path[CTLI_LAMBDA_PATH_CAP];
} remote;

struct ctl_client {
    ctl_client_config cfg;
    route *routes;
    size_t nroutes, cap_routes;
    void *user;

    pthread_mutex_t mu;
    pthread_cond_t work;        /* a job is ready, or stopping */
    pthread_cond_t idle;        /* pending reached 0 */
    job *ready, *ready_tail;    /* FIFO */
    job *delayed;               /* retries, by due time */
    size_t pending;             /* queued + running */
    bool stopping;
    pthread_t *threads;
    int nthreads;

    pthread_mutex_t sink_mu;
    ctl_client_stats stats;

    ctli_invoke *lambda;         /* NULL: in-process only */
    pthread_mutex_t remote_mu;
    remote *remotes;
    size_t nremotes, cap_remotes;
};

static _Thread_local char last_error[512];

static ctl_status client_error(ctl_status status, const char *fmt, const char *arg)
{
    snprintf(last_error, sizeof last_error, fmt, arg);
    return status;
}

const char *ctl_client_error(ctl_client *client)
{
    (void)client;
    return last_error;
}

static const ctl_controller *find_route(ctl_client *client, const char *name)
{
    for (size_t i = 0; i < client->nroutes; i++)
        if (strcmp(client->routes[i].name, name) == 0)
            return client->routes[i].controller;
    return NULL;
}

ctl_status ctl_client_register(ctl_client *client, const ctl_controller *c)
{
    if (!client || !c || !c->name)
        return CTL_ERR_USAGE;
    if (find_route(client, c->name))
        return client_error(CTL_ERR_USAGE, "controller '%s' is registered already", c->name);
    if (client->nroutes == client->cap_routes) {
        size_t cap = client->cap_routes ? client->cap_routes * 2 : 8;
        route *routes = realloc(client->routes, cap * sizeof *routes);
        if (!routes)
            return CTL_ERR_NOMEM;
        client->routes = routes;
        client->cap_routes = cap;
    }
    client->routes[client->nroutes++] = (route){ c->name, c };
    return CTL_OK;
}

void ctl_client_set_user(ctl_client *client, void *user)
{
    client->user = user;
}

/* ---- routes to Lambda ---------------------------------------------------------- */

/* Sets (replacing) the cached path of controller. Under remote_mu. */
static ctl_status set_remote(ctl_client *client, const char *controller, const char *path)
{
    for (size_t i = 0; i < client->nremotes; i++) {
        if (strcmp(client->remotes[i].controller, controller) == 0) {
            snprintf(client->remotes[i].path, sizeof client->remotes[i].path, "%s", path);
            return CTL_OK;
        }
    }
    if (client->nremotes == client->cap_remotes) {
        size_t cap = client->cap_remotes ? client->cap_remotes * 2 : 8;
        remote *remotes = realloc(client->remotes, cap * sizeof *remotes);
        if (!remotes)
            return CTL_ERR_NOMEM;
        client->remotes = remotes;
        client->cap_remotes = cap;
    }
    remote *r = &client->remotes[client->nremotes];
    r->controller = strdup(controller);
    if (!r->controller)
        return CTL_ERR_NOMEM;
    snprintf(r->path, sizeof r->path, "%s", path);
    client->nremotes++;
    return CTL_OK;
}

/* The encoded function path of a remote controller: its route, else
 * CTL_FUNCTION_<NAME>, else its own name. */
static ctl_status remote_path(ctl_client *client, const char *controller, char path[CTLI_LAMBDA_PATH_CAP])
{
    pthread_mutex_lock(&client->remote_mu);
    for (size_t i = 0; i < client->nremotes; i++) {
        if (strcmp(client->remotes[i].controller, controller) == 0) {
            memcpy(path, client->remotes[i].path, CTLI_LAMBDA_PATH_CAP);
            pthread_mutex_unlock(&client->remote_mu);
            return CTL_OK;
        }
    }
    /* The whole name: a variable cut short could be another controller's. */
    static const char prefix[] = "CTL_FUNCTION_";
    size_t n = sizeof prefix - 1;
    char *var = malloc(n + strlen(controller) + 1);
    if (!var) {
        pthread_mutex_unlock(&client->remote_mu);
        return client_error(CTL_ERR_NOMEM, "out of memory routing %s", controller);
    }
    memcpy(var, prefix, n);
    for (const char *p = controller; *p; p++) {
        char ch = *p;
        var[n++] = (char)(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : (isalnum((unsigned char)ch) ? ch : '_'));
    }
    var[n] = '\0';
    const char *name = getenv(var);
    bool from_env = name && *name;
    char why[256];
    ctl_status status = CTL_OK;
    if (ctli_lambda_name_path(from_env ? name : controller, path, CTLI_LAMBDA_PATH_CAP, why, sizeof why) != 0) {
        snprintf(last_error, sizeof last_error, "%.200s%s%s", from_env ? var : "", from_env ? ": " : "", why);
        status = CTL_ERR_USAGE;
    } else if ((status = set_remote(client, controller, path)) != CTL_OK) {
        client_error(status, "out of memory routing %s", controller);
    }
    free(var);
    pthread_mutex_unlock(&client->remote_mu);
    return status;
}

ctl_status ctl_client_route(ctl_client *client, const char *controller, const char *function_name)
{
    if (!client || !controller || !function_name)
        return client_error(CTL_ERR_USAGE, "ctl_client_route: %s", "missing argument");
    char path[CTLI_LAMBDA_PATH_CAP], why[256];
    if (ctli_lambda_name_path(function_name, path, sizeof path, why, sizeof why) != 0)
        return client_error(CTL_ERR_USAGE, "%s", why);
    pthread_mutex_lock(&client->remote_mu);
    ctl_status status = set_remote(client, controller, path);
    pthread_mutex_unlock(&client->remote_mu);
    return status;
}

ctl_status ctl_client_use_lambda(ctl_client *client, const ctl_lambda_config *config)
{
    if (!client)
        return CTL_ERR_USAGE;
    if (client->lambda)
        return client_error(CTL_ERR_USAGE, "%s", "ctl_client_use_lambda: the client uses Lambda already");
    char why[256];
    ctl_status status = ctli_invoke_new(client, config, &client->lambda, why, sizeof why);
    if (status != CTL_OK)
        client_error(status, "%s", why);
    return status;
}

/* ---- the failure sink ---------------------------------------------------------- */

/* A failed event as the sink sees it, whichever transport tried it. */
typedef struct failed_event {
    const char *controller;
    const char *event;          /* len bytes, then a NUL */
    size_t len;
    int attempts;
} failed_event;

static void write_dead_letter(ctl_client *client, const failed_event *j, const ctl_response *resp)
{
    const char *path = client->cfg.dead_letter_path;
    if (!path || !*path)
        return;
    ctl_buf b = CTL_BUF_INIT;
    bool json_event = resp->status != CTL_ERR_INVALID_JSON && resp->status != CTL_ERR_NOMEM;
    ctli_dead_letter_line(&b, j->controller, j->attempts, resp->error_type, resp->error_message, j->event, j->len,
                         json_event);
    if (b.failed || ctli_dead_letter_append(path, b.data, b.len, false) != 0)
        fprintf(stderr, "ctl: cannot write to the dead-letter file %s: %s; the event was:\n%.*s\n", path,
                b.failed ? "out of memory" : strerror(errno), (int)j->len, j->event);
    ctl_buf_free(&b);
}

static void sink_event(ctl_client *client, const failed_event *f, const ctl_response *resp)
{
    pthread_mutex_lock(&client->sink_mu);
    if (client->cfg.on_failure)
        client->cfg.on_failure(client->cfg.failure_user, f->controller, f->event, f->len,
                               resp->error_type ? resp->error_type : ctl_status_error_type(resp->status),
                               resp->error_message ? resp->error_message : "", f->attempts);
    write_dead_letter(client, f, resp);
    pthread_mutex_unlock(&client->sink_mu);
}

static void sink(ctl_client *client, const job *j, const ctl_response *resp)
{
    failed_event f = { j->controller->name, j->event, j->len, j->attempt + 1 };
    sink_event(client, &f, resp);
}

void ctli_client_sink_remote(ctl_client *client, const char *controller, const char *event, size_t len,
                            int attempts, const ctl_response *resp)
{
    failed_event f = { controller, event, len, attempts };
    sink_event(client, &f, resp);
}

void ctli_client_count(ctl_client *client, int succeeded, int retried, int failed)
{
    pthread_mutex_lock(&client->mu);
    client->stats.succeeded += (uint64_t)succeeded;
    client->stats.retried += (uint64_t)retried;
    client->stats.failed += (uint64_t)failed;
    pthread_mutex_unlock(&client->mu);
}

/* ---- workers ---------------------------------------------------------------------- */

static void push_ready(ctl_client *client, job *j)
{
    j->next = NULL;
    if (client->ready_tail)
        client->ready_tail->next = j;
    else
        client->ready = j;
    client->ready_tail = j;
}

static void push_delayed(ctl_client *client, job *j)
{
    job **at = &client->delayed;
    while (*at && (*at)->due_ms <= j->due_ms)
        at = &(*at)->next;
    j->next = *at;
    *at = j;
}

static void *worker(void *arg)
{
    ctl_client *client = arg;
    pthread_mutex_lock(&client->mu);
    for (;;) {
        uint64_t now = ctli_now_ms();
        while (client->delayed && client->delayed->due_ms <= now) {
            job *j = client->delayed;
            client->delayed = j->next;
            push_ready(client, j);
        }
        if (!client->ready) {
            if (client->stopping && !client->delayed)
                break;
            if (client->delayed)
                ctli_cond_wait_until(&client->work, &client->mu, client->delayed->due_ms);
            else
                pthread_cond_wait(&client->work, &client->mu);
            continue;
        }
        job *j = client->ready;
        client->ready = j->next;
        if (!client->ready)
            client->ready_tail = NULL;
        pthread_mutex_unlock(&client->mu);

        ctl_response resp;
        ctl_status status = ctli_dispatch_attempt(j->controller, j->event, j->len, client, client->user, j->attempt,
                                                 &resp);
        bool retry = status != CTL_OK && j->attempt < client->cfg.max_retries;
        if (status != CTL_OK && !retry)
            sink(client, j, &resp);
        ctl_response_free(&resp);

        pthread_mutex_lock(&client->mu);
        if (status == CTL_OK) {
            client->stats.succeeded++;
        } else if (retry) {
            client->stats.retried++;
            unsigned delay = client->cfg.retry_delay_ms[j->attempt < 1 ? 0 : 1];
            j->attempt++;
            j->due_ms = ctli_now_ms() + delay;
            push_delayed(client, j);
            pthread_cond_signal(&client->work);
            continue; /* still pending */
        } else {
            client->stats.failed++;
        }
        free(j);
        if (--client->pending == 0)
            pthread_cond_broadcast(&client->idle);
    }
    pthread_mutex_unlock(&client->mu);
    ctli_thread_release();
    return NULL;
}

/* ---- the client --------------------------------------------------------------------- */

ctl_client *ctl_client_new(const ctl_client_config *config)
{
    ctl_client *client = calloc(1, sizeof *client);
    if (!client)
        return NULL;
    if (config)
        client->cfg = *config;
    if (client->cfg.workers <= 0)
        client->cfg.workers = 2;
    if (client->cfg.workers > 256)
        client->cfg.workers = 256;
    if (client->cfg.max_retries == 0)
        client->cfg.max_retries = 2;
    else if (client->cfg.max_retries < 0)
        client->cfg.max_retries = 0;
    if (client->cfg.retry_delay_ms[0] == 0 && client->cfg.retry_delay_ms[1] == 0) {
        client->cfg.retry_delay_ms[0] = 1000;
        client->cfg.retry_delay_ms[1] = 2000;
    }
    if (!client->cfg.dead_letter_path)
        client->cfg.dead_letter_path = "ctl-dead-letters.jsonl";
    if (!*client->cfg.dead_letter_path && !client->cfg.on_failure) {
        /* Nowhere to put failed events: refuse rather than drop them. */
        free(client);
        return NULL;
    }
    pthread_mutex_init(&client->mu, NULL);
    pthread_mutex_init(&client->sink_mu, NULL);
    pthread_mutex_init(&client->remote_mu, NULL);
    pthread_cond_init(&client->work, NULL);
    pthread_cond_init(&client->idle, NULL);
    client->threads = calloc((size_t)client->cfg.workers, sizeof *client->threads);
    if (!client->threads) {
        ctl_client_free(client);
        return NULL;
    }
    for (int i = 0; i < client->cfg.workers; i++) {
        if (pthread_create(&client->threads[i], NULL, worker, client) != 0)
            break;
        client->nthreads++;
    }
    if (client->nthreads == 0) {
        ctl_client_free(client);
        return NULL;
    }
    return client;
}

ctl_status ctl_client_send(ctl_client *client, const char *controller, const char *event, size_t len)
{
    if (!client || !controller || (!event && len))
        return CTL_ERR_USAGE;
    const ctl_controller *c = find_route(client, controller);
    if (!c && !client->lambda)
        return client_error(CTL_ERR_UNKNOWN_CONTROLLER, "no controller '%s' is registered", controller);
    if (len > CTL_MAX_ASYNC_PAYLOAD)
        return client_error(CTL_ERR_TOO_LARGE, "the event for %s is over the 1 MB limit of async invocations",
                            controller);
    if (!c) {
        char path[CTLI_LAMBDA_PATH_CAP];
        ctl_status status = remote_path(client, controller, path);
        if (status != CTL_OK)
            return status;
        /* Counted before it is queued, so that stats never show more
         * succeeded than sent. */
        pthread_mutex_lock(&client->mu);
        client->stats.sent++;
        pthread_mutex_unlock(&client->mu);
        status = ctli_invoke_send(client->lambda, controller, path, event, len);
        if (status != CTL_OK) {
            pthread_mutex_lock(&client->mu);
            client->stats.sent--;
            pthread_mutex_unlock(&client->mu);
            if (status == CTL_ERR_SHUTDOWN)
                return client_error(status, "the client is shutting down; the event for %s was not accepted",
                                    controller);
            return client_error(status, "out of memory queueing the event for %s", controller);
        }
        return CTL_OK;
    }
    if (client->cfg.inline_sends) {
        /* Serial, like the hand-written pattern: the event runs now. */
        job j = { NULL, c, 0, 0, len };
        for (;;) {
            ctl_response resp;
            ctl_status status = ctli_dispatch_attempt(c, event, len, client, client->user, j.attempt, &resp);
            if (status != CTL_OK && j.attempt >= client->cfg.max_retries) {
                /* sink() wants the event in the job: make a copy that has it. */
                job *copy = malloc(sizeof *copy + len + 1);
                if (copy) {
                    *copy = j;
                    memcpy(copy->event, event, len);
                    copy->event[len] = '\0';
                    sink(client, copy, &resp);
                    free(copy);
                }
            }
            ctl_response_free(&resp);
            pthread_mutex_lock(&client->mu);
            client->stats.sent += j.attempt == 0;
            if (status == CTL_OK)
                client->stats.succeeded++;
            else if (j.attempt < client->cfg.max_retries)
                client->stats.retried++;
            else
                client->stats.failed++;
            pthread_mutex_unlock(&client->mu);
            if (status == CTL_OK || j.attempt >= client->cfg.max_retries)
                return CTL_OK; /* accepted: it ran, or it reached the sink */
            j.attempt++;
        }
    }
    job *j = malloc(sizeof *j + len + 1);
    if (!j)
        return CTL_ERR_NOMEM;
    j->controller = c;
    j->attempt = 0;
    j->due_ms = 0;
    j->len = len;
    if (len)
        memcpy(j->event, event, len);
    j->event[len] = '\0';
    pthread_mutex_lock(&client->mu);
    if (client->stopping) {
        pthread_mutex_unlock(&client->mu);
        free(j);
        return CTL_ERR_SHUTDOWN;
    }
    push_ready(client, j);
    client->pending++;
    client->stats.sent++;
    pthread_cond_signal(&client->work);
    pthread_mutex_unlock(&client->mu);
    return CTL_OK;
}

ctl_status ctl_client_call(ctl_client *client, const char *controller, const char *event, size_t len,
                           ctl_response *resp)
{
    memset(resp, 0, sizeof *resp);
    if (!client || !controller || (!event && len))
        return ctli_response_error(resp, CTL_ERR_USAGE, NULL, "ctl_client_call: missing argument");
    const ctl_controller *c = find_route(client, controller);
    if (!c && !client->lambda) {
        client_error(CTL_ERR_UNKNOWN_CONTROLLER, "no controller '%s' is registered", controller);
        return ctli_response_error(resp, CTL_ERR_UNKNOWN_CONTROLLER, NULL, last_error);
    }
    if (len > CTL_MAX_SYNC_PAYLOAD) {
        client_error(CTL_ERR_TOO_LARGE, "the event for %s is over the 6 MB limit of synchronous invocations",
                     controller);
        return ctli_response_error(resp, CTL_ERR_TOO_LARGE, NULL, last_error);
    }
    if (c)
        return ctli_dispatch_attempt(c, event, len, client, client->user, 0, resp);
    char path[CTLI_LAMBDA_PATH_CAP];
    ctl_status status = remote_path(client, controller, path);
    if (status != CTL_OK)
        return ctli_response_error(resp, status, NULL, last_error);
    return ctli_invoke_call(client->lambda, path, event, len, resp);
}

void ctl_client_drain(ctl_client *client)
{
    if (!client)
        return;
    pthread_mutex_lock(&client->mu);
    while (client->pending > 0)
        pthread_cond_wait(&client->idle, &client->mu);
    pthread_mutex_unlock(&client->mu);
}

void ctl_client_flush(ctl_client *client)
{
    /* In-process sends are handed off once queued; only remote ones wait. */
    if (client && client->lambda)
        ctli_invoke_flush(client->lambda);
}

void ctl_client_stats_get(ctl_client *client, ctl_client_stats *out)
{
    pthread_mutex_lock(&client->mu);
    *out = client->stats;
    pthread_mutex_unlock(&client->mu);
}

void ctl_client_free(ctl_client *client)
{
    if (!client)
        return;
    /* In-process events first (their handlers may send to Lambda), then
     * the remote sends: ctli_invoke_free() waits for every one to end. */
    if (client->nthreads)
        ctl_client_drain(client);
    ctli_invoke_free(client->lambda);
    client->lambda = NULL;
    if (client->nthreads) {
        pthread_mutex_lock(&client->mu);
        client->stopping = true;
        pthread_cond_broadcast(&client->work);
        pthread_mutex_unlock(&client->mu);
        for (int i = 0; i < client->nthreads; i++)
            pthread_join(client->threads[i], NULL);
    }
    free(client->threads);
    free(client->routes);
    for (size_t i = 0; i < client->nremotes; i++)
        free(client->remotes[i].controller);
    free(client->remotes);
    pthread_mutex_destroy(&client->mu);
    pthread_mutex_destroy(&client->sink_mu);
    pthread_mutex_destroy(&client->remote_mu);
    pthread_cond_destroy(&client->work);
    pthread_cond_destroy(&client->idle);
    free(client);
}
