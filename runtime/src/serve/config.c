/* serve/config.c: the asynchronous-invocation configuration of the served
 * functions, as Lambda keeps it (see config.h):
 *   PUT    /2019-09-25/functions/{fn}/event-invoke-config       PutFunctionEventInvokeConfig (replaces)
 *   POST   /2019-09-25/functions/{fn}/event-invoke-config       UpdateFunctionEventInvokeConfig (merges)
 *   GET    /2019-09-25/functions/{fn}/event-invoke-config       GetFunctionEventInvokeConfig
 *   DELETE /2019-09-25/functions/{fn}/event-invoke-config       DeleteFunctionEventInvokeConfig
 *   GET    /2019-09-25/functions/{fn}/event-invoke-config/list  ListFunctionEventInvokeConfigs
 * with botocore's shapes. A function's config is the one put through the
 * API, else the spec's (@retries, @max_event_age in its table), which is
 * what `ctlc sam` deploys as the function's EventInvokeConfig; else none.
 * The async core reads what was put through ctli_serve_config_settings, at
 * every decision, and applies it in its one rule (client/async.c).
 * A DestinationConfig's ARNs are parsed by common/rules.h's rule (the
 * inverse of the one that builds them) into destinations interned for the
 * server's whole run: a pointer the core got stays valid while any event
 * may use it. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/gen.h"

#include "base/clock.h"
#include "base/file.h"
#include "client/function_name.h"
#include "client/record.h"
#include "codec/ctx.h"
#include "common/rules.h"
#include "serve/config.h"
#include "serve/http.h"
#include "serve/target.h"

/* Lambda's ranges (botocore's model: MaximumRetryAttempts,
 * MaximumEventAgeInSeconds, MaxFunctionEventInvokeConfigListItems). */
#define MIN_RETRIES 0
#define MAX_RETRIES 2
#define MIN_AGE_S 60
#define MAX_AGE_S 21600
#define MAX_LIST_ITEMS 50

/* A config in the lock-free word the core reads: PRESENT, then the
 * attempts (1 + MaximumRetryAttempts; 0: left out) in bits 0..15,
 * MaximumEventAgeInSeconds (0: left out) in bits 16..31, and the interned
 * destinations' indexes (0: none) OnSuccess in bits 32..46, OnFailure in
 * bits 47..61. 0: none put. */
#define PRESENT (UINT64_C(1) << 63)
#define POOL_CAP 1024u         /* distinct destinations put in one run (< 1 << 15) */

struct ctli_serve_config {
    pthread_mutex_t mu;        /* the operations that read or change a config, and the file; a leaf: nothing
                                  is locked under it, and the core never takes it */
    char *path, *tmp_path;     /* owned */
    _Atomic uint64_t *put;     /* per served controller (s->hosted's order): the config put through the API,
                                  packed; written under mu, read by the core's hook without a lock */
    uint64_t *modified_ms;     /* per served controller, under mu: its LastModified (wall clock ms) */
    char **kept;               /* owned: the file's lines of controllers not served now, written back */
    size_t nkept;
    /* The destinations configs name, interned: slot i (1..npool-1) is set once, under mu, before any word
       names i, and freed only with the config (after the core): the core reads them without a lock. */
    _Atomic(ctl_destination *) *pool;
    size_t npool;              /* under mu; slot 0 is "none" */
};

/* One function's config, unpacked. */
typedef struct eic {
    bool present;
    bool from_spec;            /* none was put: the spec's settings */
    int retries;               /* MaximumRetryAttempts; -1: left out */
    int age_s;                 /* MaximumEventAgeInSeconds; 0: left out */
    const ctl_destination *on_success, *on_failure; /* NULL: none */
    uint64_t modified_ms;
} eic;

static ctl_destination_kind kind_of(const char *word)
{
    return strcmp(word, "controller") == 0 ? CTL_DEST_CONTROLLER
           : strcmp(word, "sqs") == 0      ? CTL_DEST_SQS
           : strcmp(word, "sns") == 0      ? CTL_DEST_SNS
           : strcmp(word, "eventbridge") == 0 ? CTL_DEST_EVENTBRIDGE
                                           : CTL_DEST_S3;
}

/* Under mu (or before serving): the pool index of d (NULL: 0), interned
 * when new. 0 with *idx set, or -1 with errno set (ENOSPC: the pool is
 * full). */
static int intern(struct ctli_serve_config *cf, const ctl_destination *d, unsigned *idx)
{
    *idx = 0;
    if (!d || !d->name)
        return 0;
    for (size_t i = 1; i < cf->npool; i++) {
        const ctl_destination *p = atomic_load_explicit(&cf->pool[i], memory_order_relaxed);
        if (p->kind == d->kind && strcmp(p->name, d->name) == 0) {
            *idx = (unsigned)i;
            return 0;
        }
    }
    if (cf->npool >= POOL_CAP) {
        errno = ENOSPC;
        return -1;
    }
    size_t n = strlen(d->name) + 1;
    ctl_destination *p = malloc(sizeof *p + n);
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    p->kind = d->kind;
    p->name = memcpy((char *)(p + 1), d->name, n);
    atomic_store_explicit(&cf->pool[cf->npool], p, memory_order_release);
    *idx = (unsigned)cf->npool++;
    return 0;
}

static const ctl_destination *pooled(const struct ctli_serve_config *cf, unsigned i)
{
    return i ? atomic_load_explicit(&cf->pool[i], memory_order_acquire) : NULL;
}

/* The word of v's settings (its destinations interned): 0, or -1 with errno set. */
static int pack(struct ctli_serve_config *cf, const eic *v, uint64_t *w)
{
    unsigned si, fi;
    if (intern(cf, v->on_success, &si) != 0 || intern(cf, v->on_failure, &fi) != 0)
        return -1;
    *w = PRESENT | (uint64_t)(v->retries >= 0 ? v->retries + 1 : 0) | (uint64_t)v->age_s << 16 |
         (uint64_t)si << 32 | (uint64_t)fi << 47;
    return 0;
}

static void unpack(const struct ctli_serve_config *cf, uint64_t w, eic *v)
{
    int attempts = (int)(w & 0xffffu);
    v->present = (w & PRESENT) != 0;
    v->retries = attempts ? attempts - 1 : -1;
    v->age_s = (int)((w >> 16) & 0xffffu);
    v->on_success = pooled(cf, (unsigned)((w >> 32) & 0x7fffu));
    v->on_failure = pooled(cf, (unsigned)((w >> 47) & 0x7fffu));
}

/* The index of c in s->hosted, or -1. */
static long served_index(const serve *s, const ctl_controller *c)
{
    for (size_t k = 0; k < s->nhosted; k++)
        if (s->hosted[k] == c)
            return (long)k;
    return -1;
}

bool ctli_serve_config_settings(void *user, const ctl_controller *c, ctli_async_settings *out)
{
    const serve *s = user;
    long k = s->config ? served_index(s, c) : -1;
    uint64_t w = k >= 0 ? atomic_load_explicit(&s->config->put[k], memory_order_acquire) : 0;
    if (!(w & PRESENT))
        return false;
    eic v;
    unpack(s->config, w, &v);
    out->max_attempts = v.retries >= 0 ? v.retries + 1 : 0;
    out->max_event_age_s = v.age_s;
    out->on_success = v.on_success;
    out->on_failure = v.on_failure;
    return true;
}

/* Under mu: the config of served controller k: the one put, else the
 * spec's, else none (v->present false). */
static void view(const serve *s, size_t k, eic *v)
{
    unpack(s->config, atomic_load_explicit(&s->config->put[k], memory_order_relaxed), v);
    v->from_spec = false;
    v->modified_ms = s->config->modified_ms[k];
    if (v->present)
        return;
    const ctl_controller *c = s->hosted[k];
    v->present = c->max_attempts > 0 || c->max_event_age_s > 0 || c->on_success || c->on_failure;
    v->from_spec = v->present;
    v->retries = c->max_attempts > 0 ? c->max_attempts - 1 : -1;
    v->age_s = c->max_event_age_s;
    v->on_success = c->on_success;
    v->on_failure = c->on_failure;
    v->modified_ms = s->started_ms; /* the spec's config is as old as the server */
}

/* ---- DestinationConfig ----------------------------------------------------------------- */

/* A DestinationConfig as given: for each side (0 OnSuccess, 1 OnFailure)
 * whether it was given, and its destination (name NULL: none). Not to be
 * copied (dest[i].name points into name[i]). */
typedef struct dests {
    bool has[2];
    ctl_destination dest[2];
    char name[2][260];
} dests;

static const char *const side_names[2] = { "OnSuccess", "OnFailure" };

/* One side's {"Destination": ARN} (side i of d) of served functions of s:
 * 0, or -1 with why set. {} and a Destination null or "": none. */
static int parse_side(const serve *s, const ctl_json *j, int i, dests *d, char *why, size_t cap)
{
    d->has[i] = true;
    d->dest[i].kind = 0;
    d->dest[i].name = NULL;
    if (j->type != CTL_JSON_OBJECT) {
        snprintf(why, cap, "DestinationConfig.%s must be an object: {\"Destination\": ARN}", side_names[i]);
        return -1;
    }
    const char *arn = NULL;
    for (const ctl_json *m = j->child; m; m = m->next) {
        if (strcmp(m->key, "Destination") != 0) {
            snprintf(why, cap, "DestinationConfig.%s has no member %.60s (Destination is its member)", side_names[i],
                     m->key);
            return -1;
        }
        if (m->type == CTL_JSON_NULL)
            continue;
        if (m->type != CTL_JSON_STRING) {
            snprintf(why, cap, "DestinationConfig.%s.Destination must be an ARN (a string)", side_names[i]);
            return -1;
        }
        if (strlen(m->str) != m->len) {
            snprintf(why, cap, "DestinationConfig.%s.Destination holds a NUL character", side_names[i]);
            return -1;
        }
        arn = m->len ? m->str : NULL;
    }
    if (!arn)
        return 0;
    const char *word, *name;
    size_t len;
    char reason[400];
    if (ctli_rule_destination_parse(arn, &word, &name, &len, reason, sizeof reason) != 0) {
        snprintf(why, cap, "DestinationConfig.%s.Destination: %s", side_names[i], reason);
        return -1;
    }
    if (i == 0 && strcmp(word, "s3") == 0) {
        snprintf(why, cap,
                 "DestinationConfig.OnSuccess.Destination: an S3 bucket can only be an on-failure destination "
                 "(Lambda sends no success records to S3)");
        return -1;
    }
    if (len >= sizeof d->name[i]) {
        snprintf(why, cap, "DestinationConfig.%s.Destination: the name in '%.200s' is too long", side_names[i], arn);
        return -1;
    }
    memcpy(d->name[i], name, len);
    d->name[i][len] = '\0';
    if (strcmp(word, "controller") == 0) {
        const ctl_controller *c = ctli_serve_find_controller(s, d->name[i]);
        if (!c) {
            snprintf(why, cap,
                     "DestinationConfig.%s.Destination: '%.200s' names no function this server serves (a function "
                     "destination must be a served controller with a @records function)",
                     side_names[i], arn);
            return -1;
        }
        bool records = false;
        for (size_t f = 0; f < c->count; f++)
            records = records || c->functions[f].receives_records;
        if (!records) {
            snprintf(why, cap,
                     "DestinationConfig.%s.Destination: the controller %s has no @records function, so it cannot "
                     "receive invocation records",
                     side_names[i], c->name);
            return -1;
        }
    }
    d->dest[i].kind = kind_of(word);
    d->dest[i].name = d->name[i];
    return 0;
}

/* A DestinationConfig (dc) into *d: 0, or -1 with why set. null: nothing
 * given; a side null: that side not given. */
static int parse_dests(const serve *s, const ctl_json *dc, dests *d, char *why, size_t cap)
{
    if (!dc || dc->type == CTL_JSON_NULL)
        return 0;
    if (dc->type != CTL_JSON_OBJECT) {
        snprintf(why, cap, "DestinationConfig must be an object");
        return -1;
    }
    for (const ctl_json *side = dc->child; side; side = side->next) {
        int i = strcmp(side->key, "OnSuccess") == 0 ? 0 : strcmp(side->key, "OnFailure") == 0 ? 1 : -1;
        if (i < 0) {
            snprintf(why, cap, "DestinationConfig has no member %.60s (OnSuccess and OnFailure are its members)",
                     side->key);
            return -1;
        }
        if (side->type != CTL_JSON_NULL && parse_side(s, side, i, d, why, cap) != 0)
            return -1;
    }
    return 0;
}

/* ---- the file --------------------------------------------------------------------------- */

/* The settings v states, each after a comma, as the API and the file name
 * them. */
static void put_settings(ctl_buf *b, const eic *v)
{
    char num[64];
    if (v->retries >= 0) {
        snprintf(num, sizeof num, ",\"MaximumRetryAttempts\":%d", v->retries);
        ctl_buf_put(b, num, strlen(num));
    }
    if (v->age_s > 0) {
        snprintf(num, sizeof num, ",\"MaximumEventAgeInSeconds\":%d", v->age_s);
        ctl_buf_put(b, num, strlen(num));
    }
}

static void put_destination(ctl_buf *b, const serve *s, const char *account, const ctl_destination *d);

static void put_line(ctl_buf *b, const serve *s, const char *name, const eic *v)
{
    char num[96];
    CTL_BUF_LIT(b, "{\"FunctionName\":");
    ctl_write_string(b, name);
    put_settings(b, v);
    if (v->on_success || v->on_failure) {
        CTL_BUF_LIT(b, ",\"DestinationConfig\":{\"OnSuccess\":");
        put_destination(b, s, NULL, v->on_success);
        CTL_BUF_LIT(b, ",\"OnFailure\":");
        put_destination(b, s, NULL, v->on_failure);
        ctl_buf_putc(b, '}');
    }
    snprintf(num, sizeof num, ",\"LastModified\":%" PRIu64 ".%03u}\n", v->modified_ms / 1000,
             (unsigned)(v->modified_ms % 1000));
    ctl_buf_put(b, num, strlen(num));
}

/* Under mu: writes the file as it will be once served controller k's
 * config is w (modified at ms): to FILE.new, synced, renamed over FILE,
 * the directory synced. 0, or -1 with errno set (the file is unchanged). */
static int save(serve *s, size_t k, uint64_t w, uint64_t ms)
{
    struct ctli_serve_config *cf = s->config;
    ctl_buf b = CTL_BUF_INIT;
    for (size_t j = 0; j < s->nhosted; j++) {
        eic v;
        unpack(cf, j == k ? w : atomic_load_explicit(&cf->put[j], memory_order_relaxed), &v);
        v.modified_ms = j == k ? ms : cf->modified_ms[j];
        if (v.present)
            put_line(&b, s, s->hosted[j]->name, &v);
    }
    for (size_t j = 0; j < cf->nkept; j++) {
        ctl_buf_put(&b, cf->kept[j], strlen(cf->kept[j]));
        ctl_buf_putc(&b, '\n');
    }
    if (b.failed) {
        ctl_buf_free(&b);
        errno = ENOMEM;
        return -1;
    }
    int fd = open(cf->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    int rc = fd < 0 || ctli_write_all(fd, b.data ? b.data : "", b.len) != 0 || fsync(fd) != 0 ? -1 : 0;
    int saved = errno;
    if (fd >= 0)
        close(fd);
    ctl_buf_free(&b);
    if (rc == 0 && rename(cf->tmp_path, cf->path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0) {
        (void)ctli_sync_dir(s->opt.journal_dir); /* the rename is done; a failed sync cannot undo it */
        return 0;
    }
    unlink(cf->tmp_path);
    errno = saved;
    return -1;
}

/* One line of the file (len bytes at line, NUL-terminated) into the config
 * of its controller, or into kept. 0, or -1 with why set. */
static int load_line(serve *s, char *line, size_t len, bool *seen, char *why, size_t cap)
{
    struct ctli_serve_config *cf = s->config;
    ctl_ctx ctx;
    ctli_ctx_init(&ctx);
    ctl_json_error jerr;
    const ctl_json *root = ctl_json_parse(&ctx.arena, line, len, &jerr);
    const char *name = NULL;
    int64_t retries = -1, age = 0;
    double modified = -1;
    const ctl_json *dc = NULL;
    int rc = -1;
    if (!root) {
        snprintf(why, cap, "not JSON: %s at byte %zu", jerr.message, jerr.offset + 1);
        goto out;
    }
    if (root->type != CTL_JSON_OBJECT) {
        snprintf(why, cap, "not a JSON object");
        goto out;
    }
    if (ctl_check_unique_keys(&ctx, root, &ctl_path_root) != 0) {
        snprintf(why, cap, "%s", ctx.error_message ? ctx.error_message : "a member twice");
        goto out;
    }
    for (const ctl_json *m = root->child; m; m = m->next) {
        const ctl_path at = { &ctl_path_root, m->key, m->key_len, 0 };
        int bad = 0;
        if (strcmp(m->key, "FunctionName") == 0)
            bad = ctl_read_string(&ctx, m, &at, &name);
        else if (strcmp(m->key, "MaximumRetryAttempts") == 0)
            bad = ctl_read_int(&ctx, m, &at, &retries) ||
                  (retries < MIN_RETRIES || retries > MAX_RETRIES
                       ? ctl_fail_range_int(&ctx, &at, retries, MIN_RETRIES, MAX_RETRIES)
                       : 0);
        else if (strcmp(m->key, "MaximumEventAgeInSeconds") == 0)
            bad = ctl_read_int(&ctx, m, &at, &age) ||
                  (age < MIN_AGE_S || age > MAX_AGE_S ? ctl_fail_range_int(&ctx, &at, age, MIN_AGE_S, MAX_AGE_S)
                                                      : 0);
        else if (strcmp(m->key, "DestinationConfig") == 0)
            dc = m; /* read once the controller is known to be served */
        else if (strcmp(m->key, "LastModified") == 0)
            bad = ctl_read_float(&ctx, m, &at, &modified) ||
                  (modified < 0 || modified > 1e11 ? ctl_fail_range_float(&ctx, &at, modified, 0, 1e11) : 0);
        else
            bad = ctli_ctx_error(&ctx, CTL_ERR_INVALID_PAYLOAD, NULL, "an unknown member %s", m->key);
        if (bad) {
            snprintf(why, cap, "%s", ctx.error_message ? ctx.error_message : "a bad member");
            goto out;
        }
    }
    if (!name || modified < 0) {
        snprintf(why, cap, "FunctionName and LastModified are required");
        goto out;
    }
    ctli_function_name fn;
    char reason[256];
    if (ctli_function_name_parse(name, &fn, reason, sizeof reason) != 0 || fn.name.n != strlen(name)) {
        snprintf(why, cap, "FunctionName \"%.80s\" is not a plain function name", name);
        goto out;
    }
    const ctl_controller *c = ctli_serve_find_controller(s, name);
    if (!c) { /* not served now (--only, another binary): kept for when it is */
        char **more = realloc(cf->kept, (cf->nkept + 1) * sizeof *more);
        char *copy = more ? strdup(line) : NULL;
        if (more)
            cf->kept = more;
        if (!copy) {
            snprintf(why, cap, "out of memory");
            goto out;
        }
        cf->kept[cf->nkept++] = copy;
        rc = 0;
        goto out;
    }
    long k = served_index(s, c);
    if (seen[k]) {
        snprintf(why, cap, "a second config of %s", name);
        goto out;
    }
    seen[k] = true;
    dests d;
    memset(&d, 0, sizeof d);
    if (parse_dests(s, dc, &d, why, cap) != 0)
        goto out;
    eic v = { .present = true, .retries = (int)retries, .age_s = (int)age };
    v.on_success = d.has[0] ? (d.dest[0].name ? &d.dest[0] : NULL) : NULL;
    v.on_failure = d.has[1] ? (d.dest[1].name ? &d.dest[1] : NULL) : NULL;
    uint64_t w;
    if (pack(cf, &v, &w) != 0) {
        snprintf(why, cap, "%s", errno == ENOSPC ? "too many distinct destinations" : "out of memory");
        goto out;
    }
    atomic_store(&cf->put[k], w);
    cf->modified_ms[k] = (uint64_t)(modified * 1000.0 + 0.5);
    rc = 0;
out:
    ctli_ctx_free(&ctx);
    return rc;
}

/* Reads the file into s->config. 0 (also when there is none), or -1 with
 * err set. */
static int load(serve *s, char *err, size_t cap)
{
    const char *path = s->config->path;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, cap, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    ctl_buf b = CTL_BUF_INIT;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        ctl_buf_put(&b, chunk, got);
    bool read_error = ferror(f);
    fclose(f);
    ctl_buf_putc(&b, '\0');
    if (read_error || b.failed) {
        snprintf(err, cap, "cannot read %s: %s", path, read_error ? "a read error" : "out of memory");
        ctl_buf_free(&b);
        return -1;
    }
    bool *seen = calloc(s->nhosted, sizeof *seen);
    int rc = seen ? 0 : -1;
    if (!seen)
        snprintf(err, cap, "out of memory reading %s", path);
    size_t size = b.len - 1, lineno = 0;
    for (size_t at = 0; rc == 0 && at < size;) {
        char *line = b.data + at, *nl = memchr(line, '\n', size - at);
        lineno++;
        char why[512];
        if (!nl) {
            snprintf(err, cap, "%s:%zu: the last line has no end (the file is cut short or was edited)", path,
                     lineno);
            rc = -1;
            break;
        }
        *nl = '\0';
        size_t len = (size_t)(nl - line);
        at += len + 1;
        if (len == 0)
            continue;
        if (load_line(s, line, len, seen, why, sizeof why) != 0) {
            snprintf(err, cap, "%s:%zu: %s", path, lineno, why);
            rc = -1;
        }
    }
    free(seen);
    ctl_buf_free(&b);
    return rc;
}

int ctli_serve_config_open(serve *s, char *err, size_t cap)
{
    struct ctli_serve_config *cf = calloc(1, sizeof *cf);
    if (!cf) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    pthread_mutex_init(&cf->mu, NULL);
    s->config = cf;
    cf->path = ctli_path_join(s->opt.journal_dir, CTLI_SERVE_CONFIG_FILE);
    cf->tmp_path = ctli_path_join(s->opt.journal_dir, CTLI_SERVE_CONFIG_FILE ".new");
    cf->put = calloc(s->nhosted, sizeof *cf->put);
    cf->modified_ms = calloc(s->nhosted, sizeof *cf->modified_ms);
    cf->pool = calloc(POOL_CAP, sizeof *cf->pool);
    cf->npool = 1;
    if (!cf->path || !cf->tmp_path || !cf->put || !cf->modified_ms || !cf->pool) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < s->nhosted; k++)
        atomic_init(&cf->put[k], 0);
    return load(s, err, cap);
}

void ctli_serve_config_close(serve *s)
{
    struct ctli_serve_config *cf = s->config;
    if (!cf)
        return;
    s->config = NULL;
    for (size_t j = 0; j < cf->nkept; j++)
        free(cf->kept[j]);
    free(cf->kept);
    free(cf->path);
    free(cf->tmp_path);
    free((void *)cf->put);
    free(cf->modified_ms);
    for (size_t i = 1; cf->pool && i < cf->npool; i++)
        free(atomic_load_explicit(&cf->pool[i], memory_order_relaxed));
    free((void *)cf->pool);
    pthread_mutex_destroy(&cf->mu);
    free(cf);
}

/* ---- the operations --------------------------------------------------------------------- */

/* What a Put or an Update gives. */
typedef struct given {
    bool has_retries, has_age;
    int retries, age_s;
    dests dests;               /* DestinationConfig's sides given */
} given;

/* A range error as Lambda words it. */
static enum MHD_Result out_of_range(serve *s, req *r, const char *field, long long v, int min, int max)
{
    bool low = v < min;
    return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                            "1 validation error detected: Value '%lld' at '%s' failed to satisfy constraint: Member "
                            "must have value %s than or equal to %d",
                            v, field, low ? "greater" : "less", low ? min : max);
}

/* Reads a Put's or an Update's body into *g: 0, or -1 after answering (*out). */
static int read_body(serve *s, req *r, given *g, enum MHD_Result *out)
{
    memset(g, 0, sizeof *g);
    ctl_json_error jerr;
    const ctl_json *root = ctl_json_parse(&r->ctx.arena, r->len ? r->body : "{}", r->len ? r->len : 2, &jerr);
    if (!root || root->type != CTL_JSON_OBJECT) {
        *out = ctli_serve_error(s, r, 400, "InvalidRequestContentException", "message",
                                "Could not parse request body into json: %s", root ? "not an object" : jerr.message);
        return -1;
    }
    char buf[512];
    for (const ctl_json *m = root->child; m; m = m->next) {
        bool retries = strcmp(m->key, "MaximumRetryAttempts") == 0, age = strcmp(m->key, "MaximumEventAgeInSeconds") == 0;
        if (retries || age) {
            if (m->type == CTL_JSON_NULL)
                continue;
            int64_t v;
            const ctl_path at = { &ctl_path_root, m->key, m->key_len, 0 };
            if (ctl_read_int(&r->ctx, m, &at, &v) != 0) {
                *out = ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                                        "%s must be an integer", m->key);
                return -1;
            }
            int min = retries ? MIN_RETRIES : MIN_AGE_S, max = retries ? MAX_RETRIES : MAX_AGE_S;
            if (v < min || v > max) {
                *out = out_of_range(s, r, retries ? "maximumRetryAttempts" : "maximumEventAgeInSeconds",
                                    (long long)v, min, max);
                return -1;
            }
            if (retries)
                g->has_retries = true, g->retries = (int)v;
            else
                g->has_age = true, g->age_s = (int)v;
        } else if (strcmp(m->key, "DestinationConfig") == 0) {
            if (parse_dests(s, m, &g->dests, buf, sizeof buf) != 0) {
                *out = ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message", "%s", buf);
                return -1;
            }
        }
    }
    return 0;
}

/* One side of DestinationConfig: {"Destination":ARN} of d, or {}. */
static void put_destination(ctl_buf *b, const serve *s, const char *account, const ctl_destination *d)
{
    if (!d || !d->name) {
        CTL_BUF_LIT(b, "{}");
        return;
    }
    char arn[512];
    ctli_rule_destination_arn(arn, sizeof arn, ctli_destination_word(d->kind), "aws", s->region,
                              account && *account ? account : CTLI_FUNCTION_ACCOUNT_UNKNOWN, NULL, d->name,
                              (int)strlen(d->name));
    CTL_BUF_LIT(b, "{\"Destination\":");
    ctl_write_string(b, arn);
    ctl_buf_putc(b, '}');
}

/* The FunctionEventInvokeConfig of v (of controller c) into b. */
static void config_json(ctl_buf *b, const serve *s, const ctli_serve_target *t, const ctl_controller *c,
                        const eic *v)
{
    char arn[512], num[96];
    const char *name = c->name, *account = t ? t->account : NULL;
    ctli_serve_function_arn(s, name, account, "$LATEST", arn, sizeof arn);
    snprintf(num, sizeof num, "{\"LastModified\":%" PRIu64 ".%03u,\"FunctionArn\":", v->modified_ms / 1000,
             (unsigned)(v->modified_ms % 1000));
    ctl_buf_put(b, num, strlen(num));
    ctl_write_string(b, arn);
    put_settings(b, v);
    CTL_BUF_LIT(b, ",\"DestinationConfig\":{\"OnSuccess\":");
    put_destination(b, s, account, v->on_success);
    CTL_BUF_LIT(b, ",\"OnFailure\":");
    put_destination(b, s, account, v->on_failure);
    CTL_BUF_LIT(b, "}}");
}

static enum MHD_Result answer(serve *s, req *r, ctl_buf *b)
{
    if (b->failed) {
        ctl_buf_free(b);
        return ctli_serve_error(s, r, 500, "ServiceException", "Message", "out of memory");
    }
    ctli_serve_log(s, r, r->controller->name, r->type, 200, NULL);
    return ctli_serve_respond(r, 200, b->data, b->len, NULL, false);
}

static enum MHD_Result no_config(serve *s, req *r, const ctli_serve_target *t, bool spec)
{
    char arn[512];
    ctli_serve_function_arn(s, t->name, t->account, "$LATEST", arn, sizeof arn);
    return ctli_serve_error(s, r, 404, "ResourceNotFoundException", "Message",
                            spec ? "The function %s has no EventInvokeConfig put through the API: its settings are "
                                   "its spec's (@retries, @max_event_age), built into the binary, which Delete "
                                   "cannot remove"
                                 : "The function %s doesn't have an EventInvokeConfig",
                            arn);
}

static enum MHD_Result list(serve *s, req *r, const ctli_serve_target *t, size_t k)
{
    const char *max = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "MaxItems");
    const char *marker = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "Marker");
    unsigned long n;
    if (max && (ctli_serve_parse_uint(max, 1000000, &n) != 0 || n < 1 || n > MAX_LIST_ITEMS))
        return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                                "1 validation error detected: Value '%.40s' at 'maxItems' failed to satisfy "
                                "constraint: Member must be a number from 1 to %d",
                                max, MAX_LIST_ITEMS);
    /* A function has one config here (every qualifier names the one build):
     * a list never needs a second page, so no Marker was handed out. */
    if (marker && *marker)
        return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "message",
                                "Marker '%.80s' is not one this server handed out (its lists have one page)", marker);
    eic v;
    pthread_mutex_lock(&s->config->mu);
    view(s, k, &v);
    pthread_mutex_unlock(&s->config->mu);
    ctl_buf b = CTL_BUF_INIT;
    CTL_BUF_LIT(&b, "{\"FunctionEventInvokeConfigs\":[");
    if (v.present)
        config_json(&b, s, t, s->hosted[k], &v);
    CTL_BUF_LIT(&b, "]}");
    return answer(s, r, &b);
}

/* Put (replace is true) or Update (merge) of served controller k. */
static enum MHD_Result put(serve *s, req *r, const ctli_serve_target *t, size_t k, bool replace)
{
    given g;
    enum MHD_Result out;
    if (read_body(s, r, &g, &out) != 0)
        return out;
    struct ctli_serve_config *cf = s->config;
    pthread_mutex_lock(&cf->mu);
    eic v;
    view(s, k, &v);
    if (!replace && !v.present) {
        pthread_mutex_unlock(&cf->mu);
        return no_config(s, r, t, false);
    }
    if (replace) /* fields left out go back to Lambda's defaults; destinations to none */
        v.retries = -1, v.age_s = 0, v.on_success = v.on_failure = NULL;
    if (g.has_retries)
        v.retries = g.retries;
    if (g.has_age)
        v.age_s = g.age_s;
    for (int i = 0; i < 2; i++) /* each side given replaces that side */
        if (g.dests.has[i])
            *(i ? &v.on_failure : &v.on_success) = g.dests.dest[i].name ? &g.dests.dest[i] : NULL;
    v.present = true;
    v.from_spec = false;
    uint64_t w;
    if (pack(cf, &v, &w) != 0) {
        int err = errno;
        pthread_mutex_unlock(&cf->mu);
        if (err == ENOSPC)
            return ctli_serve_error(s, r, 400, "InvalidParameterValueException", "Message",
                                    "this server keeps at most %u distinct destinations a run", POOL_CAP - 1);
        return ctli_serve_error(s, r, 500, "ServiceException", "Message", "out of memory");
    }
    unpack(cf, w, &v); /* the interned destinations, which outlive the request */
    v.present = true;
    v.from_spec = false;
    v.modified_ms = ctli_wall_ms();
    if (save(s, k, w, v.modified_ms) != 0) {
        int err = errno;
        pthread_mutex_unlock(&cf->mu);
        return ctli_serve_error(s, r, 500, "ServiceException", "Message",
                                "cannot write %s (%s): the configuration is unchanged", cf->path, strerror(err));
    }
    cf->modified_ms[k] = v.modified_ms;
    atomic_store_explicit(&cf->put[k], w, memory_order_release); /* the core's next decision sees it */
    pthread_mutex_unlock(&cf->mu);
    ctl_buf b = CTL_BUF_INIT;
    config_json(&b, s, t, s->hosted[k], &v);
    return answer(s, r, &b);
}

static enum MHD_Result get(serve *s, req *r, const ctli_serve_target *t, size_t k)
{
    eic v;
    pthread_mutex_lock(&s->config->mu);
    view(s, k, &v);
    pthread_mutex_unlock(&s->config->mu);
    if (!v.present)
        return no_config(s, r, t, false);
    ctl_buf b = CTL_BUF_INIT;
    config_json(&b, s, t, s->hosted[k], &v);
    return answer(s, r, &b);
}

/* Delete: back to the spec's settings. */
static enum MHD_Result delete(serve *s, req *r, const ctli_serve_target *t, size_t k)
{
    struct ctli_serve_config *cf = s->config;
    pthread_mutex_lock(&cf->mu);
    eic v;
    view(s, k, &v);
    if (!v.present || v.from_spec) {
        pthread_mutex_unlock(&cf->mu);
        return no_config(s, r, t, v.from_spec);
    }
    if (save(s, k, 0, 0) != 0) {
        int err = errno;
        pthread_mutex_unlock(&cf->mu);
        return ctli_serve_error(s, r, 500, "ServiceException", "Message",
                                "cannot write %s (%s): the configuration is unchanged", cf->path, strerror(err));
    }
    cf->modified_ms[k] = 0;
    atomic_store_explicit(&cf->put[k], 0, memory_order_release);
    pthread_mutex_unlock(&cf->mu);
    ctli_serve_log(s, r, r->controller->name, r->type, 204, NULL);
    return ctli_serve_respond(r, 204, NULL, 0, NULL, false);
}

enum MHD_Result ctli_serve_config_request(serve *s, req *r, const char *method, const char *fn, size_t n,
                                          bool is_list)
{
    enum { PUT, UPDATE, GET, DELETE, LIST, NONE } op = NONE;
    if (is_list)
        op = strcmp(method, "GET") == 0 ? LIST : NONE;
    else if (strcmp(method, "PUT") == 0)
        op = PUT;
    else if (strcmp(method, "POST") == 0)
        op = UPDATE;
    else if (strcmp(method, "GET") == 0)
        op = GET;
    else if (strcmp(method, "DELETE") == 0)
        op = DELETE;
    static const char *const names[] = { "PutFunctionEventInvokeConfig", "UpdateFunctionEventInvokeConfig",
                                         "GetFunctionEventInvokeConfig", "DeleteFunctionEventInvokeConfig",
                                         "ListFunctionEventInvokeConfigs" };
    if (op == NONE) {
        snprintf(r->function, sizeof r->function, "%.*s", (int)(n < 60 ? n : 60), fn);
        return ctli_serve_error(s, r, 404, "UnknownOperationException", "message",
                                "no operation %s on event-invoke-config%s here", method, is_list ? "/list" : "");
    }
    r->type = names[op];
    ctli_serve_target t;
    enum MHD_Result out;
    if (ctli_serve_resolve(s, r, fn, n, &t, &out) != 0)
        return out;
    size_t k = (size_t)served_index(s, t.controller);
    switch (op) {
    case PUT:
        return put(s, r, &t, k, true);
    case UPDATE:
        return put(s, r, &t, k, false);
    case GET:
        return get(s, r, &t, k);
    case DELETE:
        return delete(s, r, &t, k);
    default:
        return list(s, r, &t, k);
    }
}
