/* client/client.c: ctl_client, the public client API: configuration,
 * routing each controller to a transport, counters, errors.
 *
 * A controller registered with ctl_client_register() runs in this process
 * (inproc.c, over the async core); any other goes to the remote transport
 * once one is attached (ctl_client_use_lambda(), lambda/invoke.c), as the
 * Lambda function ctl_client_route() names, else CTL_FUNCTION_<NAME>, else
 * the controller's own name: resolved once, checked with Lambda's rules and
 * cached. Sends that fail for good reach one failure sink, whichever
 * transport tried them. */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/parts.h"
#include "client/client.h"
#include "client/function_name.h"
#include "codec/idem.h"
#include "client/inproc.h"
#include "client/sink.h"
#include "codec/response.h"
#include "common/rules.h"

typedef struct route {
    const char *name;
    const ctl_controller *controller;
} route;

/* A controller reached remotely, and the Lambda function it is invoked as. */
typedef struct remote {
    char *controller;
    char function[CTLI_FUNCTION_NAME_MAX + 1];
} remote;

struct ctl_client {
    ctl_client_config cfg;
    route *routes;              /* registered in-process */
    size_t nroutes, cap_routes;
    void *user;
    ctli_sink sink;
    ctli_transport *local;      /* in-process */
    ctli_transport *remote;     /* NULL until one is attached */
    char *records_dir;          /* destination_dir, or the dead letters' folder (owned) */
    char *idem_path;            /* idempotency_path, or ctl-idempotency.sqlite in the dead letters'
                                   folder (owned); "" for none */
    const ctli_idem_store *idem_store; /* the idempotency store: the local one (libctl_sqlite), opened by
                                   the first registered controller with an @idempotent function, or
                                   one given by ctli_client_use_idem_store; NULL: none */
    void (*idem_close)(void *self); /* closes it (its self) */

    pthread_mutex_t mu;         /* remote */
    /* The counters: atomics, so a send takes no lock for them. An attempt's
     * end is counted after its send, so a reader that loads the ends
     * before sent never sees more ended than sent. */
    _Alignas(64) atomic_uint_fast64_t sent; /* the senders' line; the ends are the workers' */
    _Alignas(64) atomic_uint_fast64_t succeeded, retried, failed;
    uint64_t serial;            /* never reused: the key of its error texts */
    pthread_mutex_t remote_mu;  /* remotes */
    remote *remotes;
    size_t nremotes, cap_remotes;
};

/* ---- errors: each client's last one, per thread ----------------------------------------- */

/* ctl_client_error(client) is the last error of a call on that client made
 * by the calling thread. Each thread keeps a small table of texts keyed by
 * the client's serial number (never reused, unlike its address), so two
 * clients used from one thread keep their own texts, and a client made
 * where a freed one lived starts with none. Serial 0 is the NULL client:
 * calls given no client report there. The table is made on a thread's
 * first error and freed when the thread ends; past ERROR_SLOTS clients
 * with an error on one thread, the one whose error is oldest loses it. */
enum { ERROR_SLOTS = 16, ERROR_TEXT = 512 };

typedef struct error_slot {
    uint64_t serial;            /* the client's; 0 with used false is a free slot */
    uint64_t stamp;             /* when it was last written: the oldest is reused */
    bool used;
    char text[ERROR_TEXT];
} error_slot;

typedef struct error_table {
    uint64_t clock;
    error_slot slots[ERROR_SLOTS];
} error_table;

static _Thread_local error_table *errors;
static pthread_key_t errors_key;
static bool errors_key_ok;
static pthread_once_t errors_once = PTHREAD_ONCE_INIT;
static atomic_uint_fast64_t next_serial;

/* At the thread's end. A later destructor that fails a call makes a new
 * table (and the key's destructor runs again for it). */
static void free_errors(void *table)
{
    if (errors == table)
        errors = NULL;
    free(table);
}

static void make_errors_key(void)
{
    errors_key_ok = pthread_key_create(&errors_key, free_errors) == 0;
}

static uint64_t serial_of(const ctl_client *client)
{
    return client ? client->serial : 0;
}

/* The calling thread's slot of the client with that serial; with make, one
 * is made (reusing the oldest) when it has none. NULL when there is none,
 * or no memory for the table. */
static error_slot *error_slot_of(uint64_t serial, bool make)
{
    error_table *t = errors;
    if (!t) {
        if (!make)
            return NULL;
        pthread_once(&errors_once, make_errors_key);
        t = calloc(1, sizeof *t);
        if (!t)
            return NULL;
        /* Without the key the table lives as long as the process: a leak
         * of one table per thread, not a crash. */
        if (errors_key_ok)
            pthread_setspecific(errors_key, t);
        errors = t;
    }
    error_slot *oldest = &t->slots[0];
    for (size_t i = 0; i < ERROR_SLOTS; i++) {
        error_slot *e = &t->slots[i];
        if (e->used && e->serial == serial)
            return e;
        if (!e->used || (oldest->used && e->stamp < oldest->stamp))
            oldest = e;
    }
    if (!make)
        return NULL;
    oldest->used = true;
    oldest->serial = serial;
    oldest->text[0] = '\0';
    return oldest;
}

/* The text for an error that could not be recorded (no memory for the
 * table): the status's own words. */
static _Thread_local const char *unrecorded;
static _Thread_local uint64_t unrecorded_serial;

ctl_status ctli_client_fail(ctl_client *client, ctl_status status, const char *fmt, ...)
{
    error_slot *e = error_slot_of(serial_of(client), true);
    if (!e) {
        unrecorded = ctl_status_str(status);
        unrecorded_serial = serial_of(client);
        return status;
    }
    if (unrecorded_serial == serial_of(client))
        unrecorded = NULL;
    e->stamp = ++errors->clock;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
    return status;
}

const char *ctl_client_error(ctl_client *client)
{
    error_slot *e = error_slot_of(serial_of(client), false);
    if (e)
        return e->text;
    return unrecorded && unrecorded_serial == serial_of(client) ? unrecorded : "";
}

/* A freed client's texts go with it, on the thread that frees it (other
 * threads' tables keep them under a serial no client has any more, until
 * the slot is reused). */
static void forget_errors(uint64_t serial)
{
    error_slot *e = error_slot_of(serial, false);
    if (e) {
        e->used = false;
        e->serial = 0;
    }
}

/* The registered controller of that name. A stub names its controller with
 * a literal, and the dispatch table with another of the same text, which
 * the toolchain usually merges into one: the pointers are compared first,
 * and the texts only when none is the same. */
static const ctl_controller *find_route(ctl_client *client, const char *name)
{
    for (size_t i = 0; i < client->nroutes; i++)
        if (client->routes[i].name == name)
            return client->routes[i].controller;
    for (size_t i = 0; i < client->nroutes; i++)
        if (strcmp(client->routes[i].name, name) == 0)
            return client->routes[i].controller;
    return NULL;
}

ctl_status ctl_client_register(ctl_client *client, const ctl_controller *c)
{
    if (!client || !c || !c->name || (!c->functions && c->count))
        return ctli_client_fail(client, CTL_ERR_USAGE, "ctl_client_register: %s",
                                !client ? "client is NULL"
                                : !c    ? "the controller is NULL"
                                        : "the controller table is malformed (no name, or no functions)");
    if (find_route(client, c->name))
        return ctli_client_fail(client, CTL_ERR_USAGE, "controller '%s' is registered already", c->name);
    bool idempotent = false;
    for (size_t i = 0; i < c->count; i++)
        idempotent = idempotent || c->functions[i].idempotent;
    if (idempotent && !client->idem_store && *client->idem_path) {
        if (!ctli_linked.open_local_store)
            return ctli_client_fail(client, CTL_ERR_USAGE,
                                    "controller '%s' has @idempotent functions, whose keys go to a local store, "
                                    "but %s; or set idempotency_path to \"\" (no store)",
                                    c->name, CTLI_PART_MISSING("sqlite", "the local idempotency store"));
        char err[512];
        const ctli_idem_store *store = ctli_linked.open_local_store(client->idem_path, &client->idem_close, err,
                                                                    sizeof err);
        if (!store)
            return ctli_client_fail(client, CTL_ERR_IO, "controller '%s' has @idempotent functions: %s", c->name,
                                    err);
        client->idem_store = store;
    }
    if (client->nroutes == client->cap_routes) {
        size_t cap = client->cap_routes ? client->cap_routes * 2 : 8;
        route *routes = realloc(client->routes, cap * sizeof *routes);
        if (!routes)
            return ctli_client_fail(client, CTL_ERR_NOMEM, "out of memory registering controller '%s'", c->name);
        client->routes = routes;
        client->cap_routes = cap;
    }
    client->routes[client->nroutes++] = (route){ c->name, c };
    return CTL_OK;
}

void ctl_client_set_user(ctl_client *client, void *user)
{
    if (client)
        client->user = user;
}

/* ---- the function a remote controller is invoked as ------------------------------ */

/* Sets (replacing) the function of controller. Under remote_mu. */
static ctl_status set_remote(ctl_client *client, const char *controller, const char *function)
{
    for (size_t i = 0; i < client->nremotes; i++) {
        if (strcmp(client->remotes[i].controller, controller) == 0) {
            snprintf(client->remotes[i].function, sizeof client->remotes[i].function, "%s", function);
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
    snprintf(r->function, sizeof r->function, "%s", function);
    client->nremotes++;
    return CTL_OK;
}

/* The function of a remote controller, into function: its route, else
 * CTL_FUNCTION_<NAME>, else its own name. */
static ctl_status remote_function(ctl_client *client, const char *controller,
                                  char function[CTLI_FUNCTION_NAME_MAX + 1])
{
    pthread_mutex_lock(&client->remote_mu);
    for (size_t i = 0; i < client->nremotes; i++) {
        if (strcmp(client->remotes[i].controller, controller) == 0) {
            memcpy(function, client->remotes[i].function, CTLI_FUNCTION_NAME_MAX + 1);
            pthread_mutex_unlock(&client->remote_mu);
            return CTL_OK;
        }
    }
    /* The whole name: a variable cut short could be another controller's.
     * `ctlc sam` sets these variables by the same rule (common/rules.h). */
    static const char prefix[] = CTLI_RULE_ROUTE_PREFIX;
    size_t n = sizeof prefix - 1;
    char *var = malloc(n + strlen(controller) + 1);
    if (!var) {
        pthread_mutex_unlock(&client->remote_mu);
        return ctli_client_fail(client, CTL_ERR_NOMEM, "out of memory routing %s", controller);
    }
    memcpy(var, prefix, n);
    for (const char *p = controller; *p; p++)
        var[n++] = ctli_rule_route_char(*p);
    var[n] = '\0';
    const char *name = getenv(var);
    bool from_env = name && *name;
    if (!from_env)
        name = controller;
    char why[256];
    ctli_function_name parts;
    ctl_status status = CTL_OK;
    if (ctli_function_name_parse(name, &parts, why, sizeof why) != 0) {
        status = ctli_client_fail(client, CTL_ERR_USAGE, "%.200s%s%s", from_env ? var : "", from_env ? ": " : "",
                                  why);
    } else if ((status = set_remote(client, controller, name)) != CTL_OK) {
        ctli_client_fail(client, status, "out of memory routing %s", controller);
    } else {
        snprintf(function, CTLI_FUNCTION_NAME_MAX + 1, "%s", name);
    }
    free(var);
    pthread_mutex_unlock(&client->remote_mu);
    return status;
}

ctl_status ctl_client_route(ctl_client *client, const char *controller, const char *function_name)
{
    if (!client || !controller || !function_name)
        return ctli_client_fail(client, CTL_ERR_USAGE, "ctl_client_route: %s is NULL",
                                !client ? "client" : !controller ? "controller" : "function_name");
    char why[256];
    ctli_function_name parts;
    if (ctli_function_name_parse(function_name, &parts, why, sizeof why) != 0)
        return ctli_client_fail(client, CTL_ERR_USAGE, "%s", why);
    pthread_mutex_lock(&client->remote_mu);
    ctl_status status = set_remote(client, controller, function_name);
    pthread_mutex_unlock(&client->remote_mu);
    if (status != CTL_OK)
        return ctli_client_fail(client, status, "out of memory routing %s", controller);
    return status;
}

/* ---- transports -------------------------------------------------------------------- */

static int sunk(void *owner, const ctli_failure *f)
{
    ctl_client *client = owner;
    return ctli_sink_put(&client->sink, f);
}

static void counted(void *owner, ctli_count what)
{
    ctl_client *client = owner;
    if (what == CTLI_COUNT_SUCCEEDED)
        atomic_fetch_add(&client->succeeded, 1);
    else if (what == CTLI_COUNT_RETRIED)
        atomic_fetch_add(&client->retried, 1);
    else
        atomic_fetch_add(&client->failed, 1);
}

static ctl_status send_hook(void *owner, const char *controller, const char *event, size_t len);

ctli_transport_hooks ctli_client_hooks(ctl_client *client)
{
    return (ctli_transport_hooks){ client, sunk, counted, client, &client->user, &client->idem_store, send_hook };
}

ctl_status ctli_client_use_idem_store(ctl_client *client, const ctli_idem_store *store, void (*close)(void *self))
{
    if (client->idem_store)
        return CTL_ERR_USAGE;
    client->idem_store = store;
    client->idem_close = close;
    return CTL_OK;
}

const ctli_idem_store *ctli_client_idem_store(ctl_client *client)
{
    return client ? client->idem_store : NULL;
}

bool ctli_client_has_remote(ctl_client *client)
{
    pthread_mutex_lock(&client->mu);
    bool has = client->remote != NULL;
    pthread_mutex_unlock(&client->mu);
    return has;
}

ctl_status ctli_client_attach_remote(ctl_client *client, ctli_transport *t)
{
    pthread_mutex_lock(&client->mu);
    bool taken = client->remote != NULL;
    if (!taken)
        client->remote = t;
    pthread_mutex_unlock(&client->mu);
    return taken ? CTL_ERR_USAGE : CTL_OK;
}

/* The rest of route_to: a remote controller, or an error. Apart, so that
 * the common case (registered, within the limit) costs a send little. */
CTLI_COLD static ctl_status route_further(ctl_client *client, const char *controller, size_t len, size_t limit,
                                const char *kind, ctli_target *to, ctli_transport **via,
                                char function[CTLI_FUNCTION_NAME_MAX + 1])
{
    if (!*via)
        return ctli_client_fail(client, CTL_ERR_UNKNOWN_CONTROLLER,
                                "no controller '%s' is registered, and the client does not use Lambda "
                                "(ctl_client_use_lambda)%s",
                                controller,
                                ctli_linked.use_lambda_lazily ? ""
                                                       : ": " CTLI_PART_MISSING("aws", "the Lambda transport"));
    if (len > limit)
        return ctli_client_fail(client, CTL_ERR_TOO_LARGE,
                                "the event for %s is %zu bytes, over Lambda's limit of %zu bytes (%s) for %s "
                                "invocations",
                                controller, len, limit, limit == CTL_MAX_ASYNC_PAYLOAD ? "1 MB" : "6 MB", kind);
    if (to->table)
        return CTL_OK;
    ctl_status status = remote_function(client, controller, function);
    to->function = function;
    return status;
}

/* The transport and target of controller; an error names what is wrong.
 * Remote targets' functions are written into function. */
static inline ctl_status route_to(ctl_client *client, const char *controller, size_t len, size_t limit,
                                  const char *kind, ctli_target *to, ctli_transport **via,
                                  char function[CTLI_FUNCTION_NAME_MAX + 1])
{
    *to = (ctli_target){ controller, find_route(client, controller), NULL };
    *via = to->table ? client->local : client->remote;
    if (to->table && len <= limit)
        return CTL_OK;
    return route_further(client, controller, len, limit, kind, to, via, function);
}

/* ---- the client --------------------------------------------------------------------- */

/* The folder of the dead-letter file ("." for a bare name or none). A copy. */
static char *dead_letter_dir(const ctl_client_config *cfg)
{
    const char *dl = cfg->dead_letter_path, *slash = strrchr(dl, '/');
    if (!slash)
        return strdup(".");
    if (slash == dl)
        return strdup("/");
    return strndup(dl, (size_t)(slash - dl));
}

/* Where records for external destinations go: destination_dir, else the
 * dead letters' folder. A copy. */
static char *records_dir(const ctl_client_config *cfg)
{
    if (cfg->destination_dir && *cfg->destination_dir)
        return strdup(cfg->destination_dir);
    return dead_letter_dir(cfg);
}

/* The idempotency store's file: idempotency_path, else
 * ctl-idempotency.sqlite beside the dead letters. A copy. */
static char *idem_path(const ctl_client_config *cfg)
{
    if (cfg->idempotency_path)
        return strdup(cfg->idempotency_path);
    char *dir = dead_letter_dir(cfg);
    char *path = dir ? ctli_path_join(dir, "ctl-idempotency.sqlite") : NULL;
    free(dir);
    return path;
}

ctl_client *ctl_client_new(const ctl_client_config *config)
{
    ctl_client *client = calloc(1, sizeof *client);
    if (!client)
        return NULL;
    client->serial = (uint64_t)atomic_fetch_add(&next_serial, 1) + 1;
    if (config)
        client->cfg = *config;
    if (client->cfg.workers <= 0)
        client->cfg.workers = 2;
    if (client->cfg.workers > 256)
        client->cfg.workers = 256;
    if (!client->cfg.dead_letter_path)
        client->cfg.dead_letter_path = "ctl-dead-letters.jsonl";
    if (!*client->cfg.dead_letter_path && !client->cfg.on_failure) {
        /* Nowhere to put failed events: refuse rather than drop them. */
        free(client);
        return NULL;
    }
    pthread_mutex_init(&client->mu, NULL);
    pthread_mutex_init(&client->remote_mu, NULL);
    ctli_sink_init(&client->sink, client->cfg.on_failure, client->cfg.failure_user, client->cfg.dead_letter_path,
                   false, "ctl");
    ctli_retry_policy retry = { .max_retries = client->cfg.max_retries,
                                .delay_ms = { client->cfg.retry_delay_ms[0], client->cfg.retry_delay_ms[1] } };
    client->records_dir = records_dir(&client->cfg);
    client->idem_path = idem_path(&client->cfg);
    if (!client->records_dir || !client->idem_path) {
        ctl_client_free(client);
        return NULL;
    }
    ctli_inproc_config local = { client->cfg.workers, ctli_retry_policy_or_defaults(&retry),
                                 client->cfg.inline_sends, client->records_dir };
    ctli_transport_hooks hooks = ctli_client_hooks(client);
    if (ctli_inproc_new(&hooks, &local, &client->local) != CTL_OK) {
        ctl_client_free(client);
        return NULL;
    }
    return client;
}

/* ctl_client_send, or, with own, ctli_client_send_buf. */
static ctl_status send_event(ctl_client *client, const char *controller, const char *event, size_t len,
                             ctl_buf *own)
{
    if (!client || !controller || (!event && len))
        return ctli_client_fail(client, CTL_ERR_USAGE, "ctl_client_send: %s",
                                !client ? "client is NULL"
                                : !controller ? "controller is NULL"
                                              : "event is NULL but its length is not 0");
    ctli_target to;
    ctli_transport *via;
    char function[CTLI_FUNCTION_NAME_MAX + 1];
    ctl_status status = route_to(client, controller, len, CTL_MAX_ASYNC_PAYLOAD, "async", &to, &via, function);
    if (status != CTL_OK)
        return status;
    /* Counted before it is handed over, so that the stats never show more
     * ended than sent. */
    atomic_fetch_add(&client->sent, 1);
    status = via->ops->send(via, &to, event, len, own);
    if (status == CTL_OK)
        return CTL_OK;
    atomic_fetch_sub(&client->sent, 1);
    if (status == CTL_ERR_SHUTDOWN)
        return ctli_client_fail(client, status, "the client is shutting down; the event for %s was not accepted",
                                controller);
    return ctli_client_fail(client, status, "out of memory queueing the event for %s", controller);
}

ctl_status ctl_client_send(ctl_client *client, const char *controller, const char *event, size_t len)
{
    return send_event(client, controller, event, len, NULL);
}

static ctl_status send_hook(void *owner, const char *controller, const char *event, size_t len)
{
    return send_event(owner, controller, event, len, NULL);
}

ctl_status ctli_client_send_buf(ctl_client *client, const char *controller, ctl_buf *b)
{
    return send_event(client, controller, b->data, b->len, b);
}

ctl_status ctl_client_call(ctl_client *client, const char *controller, const char *event, size_t len,
                           ctl_response *resp)
{
    if (!resp)
        return ctli_client_fail(client, CTL_ERR_USAGE, "ctl_client_call: resp is NULL");
    memset(resp, 0, sizeof *resp);
    if (!client || !controller || (!event && len)) {
        ctli_client_fail(client, CTL_ERR_USAGE, "ctl_client_call: %s",
                         !client ? "client is NULL"
                         : !controller ? "controller is NULL"
                                       : "event is NULL but its length is not 0");
        return ctli_response_error(resp, CTL_ERR_USAGE, NULL, ctl_client_error(client));
    }
    ctli_target to;
    ctli_transport *via;
    char function[CTLI_FUNCTION_NAME_MAX + 1];
    ctl_status status = route_to(client, controller, len, CTL_MAX_SYNC_PAYLOAD, "synchronous", &to, &via, function);
    if (status != CTL_OK)
        return ctli_response_error(resp, status, NULL, ctl_client_error(client));
    status = via->ops->call(via, &to, event, len, resp);
    /* The client tells every failure, as the response does. */
    if (status != CTL_OK)
        ctli_client_fail(client, status, "%s", resp->error_message ? resp->error_message : ctl_status_str(status));
    return status;
}

void ctl_client_drain(ctl_client *client)
{
    if (!client)
        return;
    if (client->local->ops->drain)
        client->local->ops->drain(client->local);
    if (client->remote && client->remote->ops->drain)
        client->remote->ops->drain(client->remote);
}

void ctl_client_flush(ctl_client *client)
{
    /* In-process sends are handed off once queued; only remote ones wait. */
    if (client && client->remote && client->remote->ops->flush)
        client->remote->ops->flush(client->remote);
}

void ctl_client_stats_get(ctl_client *client, ctl_client_stats *out)
{
    if (!out)
        return;
    if (!client) {
        memset(out, 0, sizeof *out);
        return;
    }
    out->succeeded = atomic_load(&client->succeeded);
    out->retried = atomic_load(&client->retried);
    out->failed = atomic_load(&client->failed);
    out->sent = atomic_load(&client->sent);
}

void ctl_client_free(ctl_client *client)
{
    if (!client)
        return;
    /* In-process events first (their handlers may send to Lambda), then
     * the remote sends (its free waits for every one to end), then the
     * workers. */
    if (client->local)
        (client->local->ops->settle ? client->local->ops->settle : client->local->ops->drain)(client->local);
    if (client->remote)
        client->remote->ops->free(client->remote);
    if (client->local)
        client->local->ops->free(client->local);
    ctli_sink_destroy(&client->sink);
    if (client->idem_close)
        client->idem_close(client->idem_store->self);
    free(client->idem_path);
    free(client->records_dir);
    free(client->routes);
    for (size_t i = 0; i < client->nremotes; i++)
        free(client->remotes[i].controller);
    free(client->remotes);
    pthread_mutex_destroy(&client->mu);
    pthread_mutex_destroy(&client->remote_mu);
    forget_errors(client->serial);
    free(client);
}
