/* serve/config_json.h: a function's asynchronous-invocation config, as
 * Lambda's API shapes it (config_json.c): its settings unpacked, Lambda's
 * ranges of them, a DestinationConfig read, the settings and destinations
 * written. The API (config.c) and the configs' file (config_store.c) use
 * the same shapes. */
#ifndef CTL_SERVE_CONFIG_JSON_H
#define CTL_SERVE_CONFIG_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/gen.h"

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* One function's config, unpacked. */
typedef struct ctli_serve_eic {
    bool present;
    bool from_spec;            /* none was put: the spec's settings */
    int retries;               /* MaximumRetryAttempts; -1: left out */
    int age_s;                 /* MaximumEventAgeInSeconds; 0: left out */
    const ctl_destination *on_success, *on_failure; /* NULL: none */
    uint64_t modified_ms;
} ctli_serve_eic;

/* A DestinationConfig as given: for each side (0 OnSuccess, 1 OnFailure)
 * whether it was given, and its destination (name NULL: none). Not to be
 * copied (dest[i].name points into name[i]). */
typedef struct ctli_serve_dests {
    bool has[2];
    ctl_destination dest[2];
    char name[2][260];
} ctli_serve_dests;

/* A DestinationConfig (dc) of served functions of s into *d: 0, or -1
 * with why set (cap bytes). dc NULL or null: nothing given; a side null:
 * that side not given; {} or a Destination null or "": none. */
int ctli_serve_config_parse_dests(const serve *s, const ctl_json *dc, ctli_serve_dests *d, char *why, size_t cap);

/* Appends the settings v states, each after a comma, as the API and the
 * file name them. */
void ctli_serve_config_put_settings(ctl_buf *b, const ctli_serve_eic *v);

/* Appends one side of a DestinationConfig: {"Destination":ARN} of d (ARN in
 * account; NULL or "": CTLI_FUNCTION_ACCOUNT_UNKNOWN), or {} (d NULL or
 * unnamed). */
void ctli_serve_config_put_destination(ctl_buf *b, const serve *s, const char *account, const ctl_destination *d);

CTLI_END_PRIVATE

#endif
