/* serve/main.c: `BIN serve`, the AWS Lambda Invoke API on HTTP for the
 * controllers linked into the binary, so boto3, the AWS CLI and the AWS
 * SDKs call them unchanged (with endpoint_url pointing here): start-up, the
 * wait for SIGTERM or SIGINT, and the end.
 *
 * Threads: libmicrohttpd runs the sockets on a pool of epoll threads (one
 * per core and one more: each owns its connections, no lock on the hot
 * path; request.c). An Event is journaled, answered 202 and run by the
 * async workers (events.c, on the async core). A RequestResponse call
 * suspends its connection and goes to a sync runner (sync.c), unless its
 * function has proven quick: then it runs on the HTTP thread itself
 * (inline.c), since the handoff costs as much as a no-op call. The
 * watchdog (watchdog.c) gives up on a handler that runs past --timeout.
 * SIGTERM or SIGINT: stop accepting, finish what was accepted, exit 0
 * (drain.c). */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/plural.h"
#include "codec/dispatch.h"
#include "serve/config_store.h"
#include "serve/drain.h"
#include "serve/events.h"
#include "serve/listen.h"
#include "serve/memory.h"
#include "serve/request.h"
#include "serve/runners.h"
#include "serve/serve.h"
#include "serve/slots.h"
#include "serve/sync.h"
#include "serve/watchdog.h"

/* The region (--region, else the environment's) and, with --require-auth,
 * the credentials, from the environment. 0, or -1 after saying what is missing. */
static int read_environment(serve *s)
{
    const char *region = s->opt.region;
    if (!region || !*region)
        region = getenv("AWS_REGION");
    if (!region || !*region)
        region = getenv("AWS_DEFAULT_REGION");
    snprintf(s->region, sizeof s->region, "%s", region && *region ? region : "us-east-1");
    if (!s->opt.require_auth)
        return 0;
    s->creds.access_key_id = getenv("AWS_ACCESS_KEY_ID");
    s->creds.secret_access_key = getenv("AWS_SECRET_ACCESS_KEY");
    s->creds.session_token = getenv("AWS_SESSION_TOKEN");
    if (!s->creds.access_key_id || !*s->creds.access_key_id || !s->creds.secret_access_key ||
        !*s->creds.secret_access_key) {
        fprintf(stderr, "%s serve: --require-auth needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the "
                        "environment\n", s->prog);
        return -1;
    }
    return 0;
}

/* Signals go to the main thread alone, which waits for them; a thousand
 * clients need a thousand descriptors. */
static void prepare_process(sigset_t *sigs)
{
    sigemptyset(sigs);
    sigaddset(sigs, SIGTERM);
    sigaddset(sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* The random part of the process's request ids. */
static uint64_t random_id(void)
{
    uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ ctli_now_us();
    FILE *ur = fopen("/dev/urandom", "rb");
    if (ur) {
        if (fread(&seed, sizeof seed, 1, ur) != 1)
            seed ^= ctli_now_us();
        fclose(ur);
    }
    return seed;
}

/* --only: the served controllers (a table of s's own), and their stats.
 * 0, or -1 after saying why. */
static int choose_served(serve *s, const ctl_controller *const *hosted, size_t n)
{
    const ctl_controller **served = calloc(n, sizeof *served);
    size_t nserved = 0;
    if (!served)
        return -1;
    s->hosted = served;
    const char *only = s->opt.only;
    for (size_t k = 0; k < n; k++) {
        const char *name = hosted[k]->name;
        size_t len = strlen(name);
        bool keep = !only;
        for (const char *p = only; p && *p && !keep;) {
            size_t w = strcspn(p, ",");
            keep = w == len && memcmp(p, name, len) == 0;
            p += w + (p[w] == ',');
        }
        if (keep)
            served[nserved++] = hosted[k];
    }
    for (const char *p = only; p && *p;) {
        size_t w = strcspn(p, ",");
        bool known = false;
        for (size_t k = 0; k < n; k++)
            known |= strlen(hosted[k]->name) == w && memcmp(hosted[k]->name, p, w) == 0;
        if (!known) {
            fprintf(stderr, "%s serve: --only: this binary hosts no controller named %.*s\n", s->prog, (int)w, p);
            return -1;
        }
        p += w + (p[w] == ',');
    }
    if (nserved == 0) {
        fprintf(stderr, "%s serve: --only names no controller\n", s->prog);
        return -1;
    }
    s->nhosted = nserved;
    s->fn_stats = calloc(nserved, sizeof *s->fn_stats);
    for (size_t k = 0; s->fn_stats && k < nserved; k++)
        if (!(s->fn_stats[k] = calloc(served[k]->count ? served[k]->count : 1, sizeof **s->fn_stats)))
            s->opt.no_inline = true; /* without stats, every call takes a runner */
    if (!s->fn_stats)
        s->opt.no_inline = true;
    return 0;
}

/* What handlers call other controllers through: the served ones
 * in-process, and the others through the Lambda transport when the
 * environment names a region or an endpoint (a second serve, say). Returns
 * 0 with *remote the variable that enabled the transport (or NULL), or -1
 * after saying so. */
static int make_client(serve *s, const char **remote)
{
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = s->opt.dead_letter_path;
    /* The store of @idempotent functions (opened by the first one
     * registered): serve's runs and the handlers' in-process calls share it. */
    char idem[4096];
    if (s->opt.idempotency_path)
        snprintf(idem, sizeof idem, "%s", s->opt.idempotency_path);
    else
        snprintf(idem, sizeof idem, "%s/idempotency.sqlite", s->opt.journal_dir);
    cfg.idempotency_path = idem;
    cfg.retry_delay_ms[0] = s->opt.retry.delay_ms[0];
    cfg.retry_delay_ms[1] = s->opt.retry.delay_ms[1];
    s->client = ctl_client_new(&cfg);
    if (s->client && s->opt.idempotency_table &&
        ctl_client_use_idempotency_table(s->client, s->opt.idempotency_table) != CTL_OK) {
        fprintf(stderr, "%s serve: --idempotency-table: %s\n", s->prog, ctl_client_error(s->client));
        ctl_client_free(s->client);
        s->client = NULL;
        return -1;
    }
    for (size_t k = 0; s->client && k < s->nhosted; k++)
        if (ctl_client_register(s->client, s->hosted[k]) != CTL_OK) {
            ctl_client_free(s->client);
            s->client = NULL;
        }
    if (!s->client) {
        fprintf(stderr, "%s serve: cannot make the in-process client (or open the idempotency store %s)\n",
                s->prog, s->opt.idempotency_table ? s->opt.idempotency_table : idem);
        return -1;
    }
    static const char *const remote_env[] = { "AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL", "AWS_REGION",
                                              "AWS_DEFAULT_REGION" };
    *remote = NULL;
    for (size_t k = 0; k < 4 && !*remote; k++)
        if (getenv(remote_env[k]) && *getenv(remote_env[k]))
            *remote = remote_env[k];
    if (*remote && ctl_client_use_lambda(s->client, NULL) != CTL_OK) {
        fprintf(stderr, "%s serve: %s is set, but handlers cannot call other controllers through Lambda: %s\n",
                s->prog, *remote, ctl_client_error(s->client));
        *remote = NULL;
    }
    return 0;
}

/* Frees what the start made, once no thread uses it (or before any
 * started): bad input leaks nothing. */
static void free_serve(serve *s)
{
    ctl_client_free(s->client);
    ctli_serve_events_close(s);
    ctli_serve_config_close(s);
    ctli_journal_close(s->journal);
    for (size_t k = 0; s->fn_stats && k < s->nhosted; k++)
        free(s->fn_stats[k]);
    free(s->fn_stats);
    while (s->slots) {
        inline_slot *next = s->slots->next;
        free(s->slots->fds);
        free(s->slots);
        s->slots = next;
    }
    free((void *)s->hosted);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->sync_cv);
    pthread_cond_destroy(&s->changed);
    free(s);
}

static struct MHD_Daemon *start_http(serve *s, int fd)
{
    /* A thread per core, and one more: calls that run on HTTP threads
     * leave one free (inline.c). */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    s->http_threads = (int)(cores > 0 && cores < 64 ? cores : 2) + 1;
    return MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
        ctli_serve_on_request, s, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)s->http_threads, MHD_OPTION_NOTIFY_COMPLETED, ctli_serve_on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, ctli_serve_on_connection, s, MHD_OPTION_UNESCAPE_CALLBACK,
        ctli_serve_keep_escapes, NULL, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)16384,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30, MHD_OPTION_END);
}

int ctli_serve_main(const char *prog, int argc, char **argv, const ctl_controller *const *hosted, size_t n)
{
    serve *s = calloc(1, sizeof *s);
    if (!s)
        return 2;
    s->prog = prog;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->sync_cv, NULL);
    pthread_cond_init(&s->changed, NULL);
    int parsed = ctli_serve_options_parse(prog, argc, argv, &s->opt);
    if (parsed != 0 || read_environment(s) != 0) {
        free_serve(s);
        return parsed == 1 ? 0 : 2;
    }
    sigset_t sigs;
    prepare_process(&sigs);
    char shown[300] = "", err[512];
    int fd = ctli_serve_listen(s->opt.listen, shown, sizeof shown);
    if (fd < 0) {
        fprintf(stderr, fd == -1 ? "%s serve: --listen wants HOST:PORT, not %s\n"
                                 : "%s serve: cannot listen on %s: %s\n",
                prog, s->opt.listen, strerror(errno));
        free_serve(s);
        return 2;
    }
    if (ctli_serve_local_address(fd, &s->listen_addr, &s->listen_len) != 0)
        s->listen_len = 0;
    const char *remote = NULL;
    long replayed = -1;
    s->id_hi = random_id();
    s->started_ms = ctli_wall_ms();
    ctli_serve_memory_setup();
    /* The async core asks serve's event-invoke configs for a controller's
     * settings at each decision (config_store.c; the rule is the core's). */
    s->opt.retry.settings = ctli_serve_config_settings;
    s->opt.retry.settings_user = s;
    if (!(s->journal = ctli_journal_open(s->opt.journal_dir, s->opt.fsync_each, err, sizeof err)))
        fprintf(stderr, "%s serve: %s\n", prog, err);
    else if (ctli_serve_events_open(s) != 0)
        fprintf(stderr, "%s serve: out of memory\n", prog);
    else if (choose_served(s, hosted, n) != 0 || make_client(s, &remote) != 0)
        ; /* said why */
    else if (ctli_serve_config_open(s, err, sizeof err) != 0)
        /* Before replay: the settings put hold for the events replayed. */
        fprintf(stderr, "%s serve: %s\n", prog, err);
    else if ((replayed = ctli_serve_events_replay(s, err, sizeof err)) < 0)
        /* Replay fails before it hands out any event: nothing is live. */
        fprintf(stderr, "%s serve: %s\n", prog, err);
    if (replayed < 0) {
        close(fd);
        free_serve(s);
        return 2;
    }
    /* Start clean: the journal holds only what is live. */
    ctli_serve_events_compact(s);
    pthread_mutex_lock(&s->mu);
    for (int k = 0; k < s->opt.workers; k++)
        if (ctli_serve_spawn_runner(s, false, ctli_serve_events_work) != 0 ||
            (k < s->opt.max_sync && ctli_serve_spawn_runner(s, true, ctli_serve_calls_work) != 0))
            break;
    pthread_mutex_unlock(&s->mu);
    pthread_t watchdog;
    pthread_create(&watchdog, NULL, ctli_serve_watchdog_main, s);

    int status = 2;
    bool daemon_left = false; /* MHD still runs: a thread of it is stuck in a handler */
    if (!(s->daemon = start_http(s, fd))) {
        fprintf(stderr, "%s serve: cannot start the HTTP server on %s\n", prog, shown);
        close(fd);
    } else {
        if (!s->opt.quiet)
            fprintf(stderr,
                    "%s serve: listening on http://%s (%zu %s, journal %s, %ld %s replayed; "
                    "other controllers: %s)\n",
                    prog, shown, s->nhosted, ctli_plural(s->nhosted, "controller", "controllers"),
                    s->opt.journal_dir, replayed, ctli_plural((uintmax_t)replayed, "event", "events"),
                    remote ? "through the Lambda transport" : "none");
        /* Last: a script that waits for this line finds the server ready. */
        printf("listening on %s\n", shown);
        fflush(stdout);
        int sig = ctli_serve_wait_signal(s, &sigs);
        if (!s->opt.quiet)
            fprintf(stderr, "%s serve: %s: no new connections; finishing what was accepted\n", prog,
                    sig == SIGINT ? "SIGINT" : "SIGTERM");
        daemon_left = ctli_serve_drain_requests(s);
        status = 0;
    }
    ctli_serve_stop_runners(s, status == 0);
    /* A thread still stuck in a handler uses s and the client when (if)
     * it returns: leave them to the process's end. */
    if (status == 0 && ctli_async_live_count(s->events) == 0)
        ctli_serve_events_compact(s); /* everything ended: an empty journal */
    pthread_mutex_lock(&s->mu);
    bool stuck = s->stuck > 0;
    pthread_mutex_unlock(&s->mu);
    if (status == 0 && !stuck && !daemon_left) {
        pthread_join(watchdog, NULL);
        free_serve(s);
        /* Threads stuck in handlers that overran still run; the process
         * ending stops them. */
        ctli_thread_release();
    }
    return status;
}
