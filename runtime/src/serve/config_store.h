/* serve/config_store.h: the asynchronous-invocation configs serve keeps
 * (config_store.c): the ones put through the API (config.c), packed in the
 * words the async core reads through its settings hook, the destinations
 * they name, interned, and their file next to the journal. */
#ifndef CTL_SERVE_CONFIG_STORE_H
#define CTL_SERVE_CONFIG_STORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/private.h"
#include "client/async.h"
#include "serve/config_json.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* The file, in the --journal directory: one JSON object a line per
 * function configured through the API, written whole to FILE.new, synced,
 * then renamed over FILE. */
#define CTLI_SERVE_CONFIG_FILE "event-invoke-config.jsonl"

#define CTLI_SERVE_CONFIG_POOL_CAP 1024u /* distinct destinations put in one run (< 1 << 15) */

/* s->config. */
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

/* Reads DIR/event-invoke-config.jsonl (none: no function is configured)
 * into s->config, for the served controllers (s->hosted: after --only was
 * applied); the lines of other controllers are kept as they are and
 * written back. 0, or -1 with err set ("PATH:LINE: what is wrong") when
 * the file cannot be read or a line is damaged: serve does not start on a
 * configuration it cannot read rather than forget it. Call before any
 * thread reads s->config. */
int ctli_serve_config_open(serve *s, char *err, size_t cap);

/* Frees s->config (NULL: nothing). */
void ctli_serve_config_close(serve *s);

/* The async core's settings hook (ctli_async_settings_fn; user is the
 * serve): the settings put through the API for controller c, if any. One
 * atomic load: no lock, safe under the core's lock and s->mu. */
bool ctli_serve_config_settings(void *user, const ctl_controller *c, ctli_async_settings *out);

/* The index of c in s->hosted (its served index), or -1. */
long ctli_serve_config_served_index(const serve *s, const ctl_controller *c);

/* Under mu: the config of served controller k into *v: the one put, else
 * the spec's (v->from_spec), else none (v->present false). */
void ctli_serve_config_view(const serve *s, size_t k, ctli_serve_eic *v);

/* Under mu (or before serving): the word of v's settings into *w, its
 * destinations interned. 0, or -1 with errno set (ENOSPC: already
 * CTLI_SERVE_CONFIG_POOL_CAP - 1 distinct destinations). */
int ctli_serve_config_pack(struct ctli_serve_config *cf, const ctli_serve_eic *v, uint64_t *w);

/* The settings of word w into *v (its destinations the interned ones,
 * valid for the server's run); sets present, retries, age_s, on_success,
 * on_failure. */
void ctli_serve_config_unpack(const struct ctli_serve_config *cf, uint64_t w, ctli_serve_eic *v);

/* Under mu: writes the file as it will be once served controller k's
 * config is w (0: none; modified at ms): to FILE.new, synced, renamed over
 * FILE, the directory synced. 0, or -1 with errno set (the file is
 * unchanged). */
int ctli_serve_config_save(serve *s, size_t k, uint64_t w, uint64_t ms);

CTLI_END_PRIVATE

#endif
