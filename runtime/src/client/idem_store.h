/* client/idem_store.h: the local idempotency store, a SQLite file
 * (idem_store.c), for the in-process client and serve. */
#ifndef CTL_CLIENT_IDEM_STORE_H
#define CTL_CLIENT_IDEM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/private.h"
#include "codec/idem.h"

CTLI_BEGIN_PRIVATE

typedef struct ctli_idem_sqlite ctli_idem_sqlite;

/* Purging expired rows (idem_store.c): a pass at open and after every
 * CTLI_IDEM_PURGE_EVERY claims, of at most CTLI_IDEM_PURGE_ROWS rows; a
 * claim is purged CTLI_IDEM_PURGE_GRACE_MS after it expired (an hour: a
 * handler that overran its claim may still complete the key). */
#define CTLI_IDEM_PURGE_EVERY 64
#define CTLI_IDEM_PURGE_ROWS 256
#define CTLI_IDEM_PURGE_GRACE_MS (3600 * 1000)

/* Opens (creating it and its table if need be) the store at path: WAL, a
 * busy timeout of 10 s, so processes and threads share it. NULL with err
 * set (errlen bytes) on failure. The caller owns the result: close it. */
ctli_idem_sqlite *ctli_idem_sqlite_open(const char *path, char *err, size_t errlen);

/* The store interface over it (borrowed: lives as long as s). */
const ctli_idem_store *ctli_idem_sqlite_store(ctli_idem_sqlite *s);

/* One purge pass as of now_ms (ms since the epoch): deletes at most
 * max_rows rows, completions expired by now_ms and claims expired
 * CTLI_IDEM_PURGE_GRACE_MS before it. The number deleted, or -1 with err
 * set. The store runs its own passes; this is for tests and tools. */
int ctli_idem_sqlite_purge(ctli_idem_sqlite *s, int64_t now_ms, int max_rows, char *err, size_t errlen);

/* Closes the store; NULL is fine. */
void ctli_idem_sqlite_close(ctli_idem_sqlite *s);

CTLI_END_PRIVATE

#endif
