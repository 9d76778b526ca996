/* codec/idem.h: idempotent functions (the spec's @idempotent): the key of
 * an event, computed in one place, and the store interface dispatch claims
 * keys in (idem.c; the local store is client/idem_store.c). */
#ifndef CTL_CODEC_IDEM_H
#define CTL_CODEC_IDEM_H

#include <stddef.h>
#include <stdint.h>

#include "ctl/ctl.h"
#include "ctl/json.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* What claiming a key found. */
typedef enum ctli_idem_claim {
    CTLI_IDEM_CLAIMED,          /* new, or its claim or completion expired: the caller runs the handler,
                                   then completes or releases the key */
    CTLI_IDEM_DONE,             /* completed and not expired, with the same payload: the stored result */
    CTLI_IDEM_IN_PROGRESS,      /* claimed by a delivery still running (its claim not expired) */
    CTLI_IDEM_MISMATCH,         /* the key's record holds another payload's validation hash */
    CTLI_IDEM_FAILED            /* the store failed (its message in err) */
} ctli_idem_claim;

/* A store of idempotency records, one per key: the in-process client's and
 * serve's (a SQLite file, client/idem_store.c), later DynamoDB. Each
 * function is safe from any thread and any process sharing the store.
 * Times are ms since the epoch. */
typedef struct ctli_idem_store {
    void *self;
    /* Claims key (NUL-terminated) for a delivery whose whole payload hashes
     * to validation: in progress until in_progress_until_ms. On DONE,
     * *result (malloc'd, the caller frees it) and *len are the stored result
     * bytes. err (errlen bytes) gets the message of FAILED. */
    ctli_idem_claim (*claim)(void *self, const char *key, const char *validation, int64_t now_ms,
                             int64_t in_progress_until_ms, char **result, size_t *len, char *err, size_t errlen);
    /* Completes key with the result bytes (borrowed), remembered until
     * expires_at_ms, on condition that the claim is still the caller's:
     * in progress with the in_progress_until_ms its claim was given
     * (claimed_until_ms). Another delivery's claim of the key starts only
     * after that time has passed, so it is later and never equal: the
     * value identifies the claim, with no clock read here. 0: stored; 1:
     * the claim is no longer the caller's (it expired and another delivery
     * took the key over, completed or released it), nothing written, err
     * says so; -1 with err set: the store failed, or the result cannot be
     * stored (the DynamoDB store then releases the claim, err says why). */
    int (*complete)(void *self, const char *key, int64_t claimed_until_ms, const char *result, size_t len,
                    int64_t expires_at_ms, char *err, size_t errlen);
    /* Releases key (the handler failed), on the same condition: the next
     * delivery runs. A claim no longer the caller's is left alone (0). */
    int (*release)(void *self, const char *key, int64_t claimed_until_ms, char *err, size_t errlen);
} ctli_idem_store;

/* The hex SHA-256 digests of one event of an idempotent function. */
typedef struct ctli_idem_key {
    char key[64 + 1];           /* of the key: the key fields' values as a canonical JSON array, in the
                                   spec's order, or the whole payload but "function" */
    char validation[64 + 1];    /* of the whole payload but "function" */
} ctli_idem_key;

/* The store key of a function's record: "CONTROLLER.FUNCTION#" and the hex
 * digest (Powertools' id is the function name and the hash likewise). */
#define CTLI_IDEM_ID_MAX 512

/* Computes the digests of the event root (an object) of function f of
 * controller c into *out, and the record's id into id (CTLI_IDEM_ID_MAX
 * bytes). -1 when a key field is absent (the message in err), or on
 * memory or libcrypto failure. */
int ctli_idem_key_of(const ctl_controller *c, const ctl_function *f, const ctl_json *root, ctli_idem_key *out,
                     char *id, char *err, size_t errlen);

/* The canonical JSON of a value, appended to b: object members sorted by
 * key (bytes), "function" left out at the top when top is set, numbers as
 * their value (an integer's digits, else %.17g), strings by libctl's
 * writer, no spaces. */
void ctli_idem_canonical(ctl_buf *b, const ctl_json *v, bool top);

CTLI_END_PRIVATE

#endif
