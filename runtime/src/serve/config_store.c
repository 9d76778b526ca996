/* serve/config_store.c: the asynchronous-invocation configs serve keeps
 * (see config_store.h): the ones put through the API (config.c), packed in
 * the words the async core reads through ctli_serve_config_settings at
 * every decision and applies in its one rule (client/async.c), the
 * destinations they name interned for the server's whole run (a pointer
 * the core got stays valid while any event may use it), and their file
 * next to the journal, in the API's shapes (config_json.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/gen.h"

#include "base/file.h"
#include "client/function_name.h"
#include "codec/ctx.h"
#include "common/rules.h"
#include "serve/config_store.h"

/* A config in the lock-free word the core reads: PRESENT, then the
 * attempts (1 + MaximumRetryAttempts; 0: left out) in bits 0..15,
 * MaximumEventAgeInSeconds (0: left out) in bits 16..31, and the interned
 * destinations' indexes (0: none) OnSuccess in bits 32..46, OnFailure in
 * bits 47..61. 0: none put. */
#define PRESENT (UINT64_C(1) << 63)

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
    if (cf->npool >= CTLI_SERVE_CONFIG_POOL_CAP) {
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
int ctli_serve_config_pack(struct ctli_serve_config *cf, const ctli_serve_eic *v, uint64_t *w)
{
    unsigned si, fi;
    if (intern(cf, v->on_success, &si) != 0 || intern(cf, v->on_failure, &fi) != 0)
        return -1;
    *w = PRESENT | (uint64_t)(v->retries >= 0 ? v->retries + 1 : 0) | (uint64_t)v->age_s << 16 |
         (uint64_t)si << 32 | (uint64_t)fi << 47;
    return 0;
}

void ctli_serve_config_unpack(const struct ctli_serve_config *cf, uint64_t w, ctli_serve_eic *v)
{
    int attempts = (int)(w & 0xffffu);
    v->present = (w & PRESENT) != 0;
    v->retries = attempts ? attempts - 1 : -1;
    v->age_s = (int)((w >> 16) & 0xffffu);
    v->on_success = pooled(cf, (unsigned)((w >> 32) & 0x7fffu));
    v->on_failure = pooled(cf, (unsigned)((w >> 47) & 0x7fffu));
}

/* The index of c in s->hosted, or -1. */
long ctli_serve_config_served_index(const serve *s, const ctl_controller *c)
{
    for (size_t k = 0; k < s->nhosted; k++)
        if (s->hosted[k] == c)
            return (long)k;
    return -1;
}

bool ctli_serve_config_settings(void *user, const ctl_controller *c, ctli_async_settings *out)
{
    const serve *s = user;
    long k = s->config ? ctli_serve_config_served_index(s, c) : -1;
    uint64_t w = k >= 0 ? atomic_load_explicit(&s->config->put[k], memory_order_acquire) : 0;
    if (!(w & PRESENT))
        return false;
    ctli_serve_eic v;
    ctli_serve_config_unpack(s->config, w, &v);
    out->max_attempts = v.retries >= 0 ? v.retries + 1 : 0;
    out->max_event_age_s = v.age_s;
    out->on_success = v.on_success;
    out->on_failure = v.on_failure;
    return true;
}

/* Under mu: the config of served controller k: the one put, else the
 * spec's, else none (v->present false). */
void ctli_serve_config_view(const serve *s, size_t k, ctli_serve_eic *v)
{
    ctli_serve_config_unpack(s->config, atomic_load_explicit(&s->config->put[k], memory_order_relaxed), v);
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

/* ---- the file --------------------------------------------------------------------------- */

static void put_line(ctl_buf *b, const serve *s, const char *name, const ctli_serve_eic *v)
{
    char num[96];
    CTL_BUF_LIT(b, "{\"FunctionName\":");
    ctl_write_string(b, name);
    ctli_serve_config_put_settings(b, v);
    if (v->on_success || v->on_failure) {
        CTL_BUF_LIT(b, ",\"DestinationConfig\":{\"OnSuccess\":");
        ctli_serve_config_put_destination(b, s, NULL, v->on_success);
        CTL_BUF_LIT(b, ",\"OnFailure\":");
        ctli_serve_config_put_destination(b, s, NULL, v->on_failure);
        ctl_buf_putc(b, '}');
    }
    snprintf(num, sizeof num, ",\"LastModified\":%" PRIu64 ".%03u}\n", v->modified_ms / 1000,
             (unsigned)(v->modified_ms % 1000));
    ctl_buf_put(b, num, strlen(num));
}

/* Under mu: writes the file as it will be once served controller k's
 * config is w (modified at ms): to FILE.new, synced, renamed over FILE,
 * the directory synced. 0, or -1 with errno set (the file is unchanged). */
int ctli_serve_config_save(serve *s, size_t k, uint64_t w, uint64_t ms)
{
    struct ctli_serve_config *cf = s->config;
    ctl_buf b = CTL_BUF_INIT;
    for (size_t j = 0; j < s->nhosted; j++) {
        ctli_serve_eic v;
        ctli_serve_config_unpack(cf, j == k ? w : atomic_load_explicit(&cf->put[j], memory_order_relaxed), &v);
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
                  (retries < CTLI_RULE_RETRIES_MIN || retries > CTLI_RULE_RETRIES_MAX
                       ? ctl_fail_range_int(&ctx, &at, retries, CTLI_RULE_RETRIES_MIN,
                                            CTLI_RULE_RETRIES_MAX)
                       : 0);
        else if (strcmp(m->key, "MaximumEventAgeInSeconds") == 0)
            bad = ctl_read_int(&ctx, m, &at, &age) ||
                  (age < CTLI_RULE_EVENT_AGE_MIN_S || age > CTLI_RULE_EVENT_AGE_MAX_S
                       ? ctl_fail_range_int(&ctx, &at, age, CTLI_RULE_EVENT_AGE_MIN_S, CTLI_RULE_EVENT_AGE_MAX_S)
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
    long k = ctli_serve_config_served_index(s, c);
    if (seen[k]) {
        snprintf(why, cap, "a second config of %s", name);
        goto out;
    }
    seen[k] = true;
    ctli_serve_dests d;
    memset(&d, 0, sizeof d);
    if (ctli_serve_config_parse_dests(s, dc, &d, why, cap) != 0)
        goto out;
    ctli_serve_eic v = { .present = true, .retries = (int)retries, .age_s = (int)age };
    v.on_success = d.has[0] ? (d.dest[0].name ? &d.dest[0] : NULL) : NULL;
    v.on_failure = d.has[1] ? (d.dest[1].name ? &d.dest[1] : NULL) : NULL;
    uint64_t w;
    if (ctli_serve_config_pack(cf, &v, &w) != 0) {
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
    cf->pool = calloc(CTLI_SERVE_CONFIG_POOL_CAP, sizeof *cf->pool);
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
