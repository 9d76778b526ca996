/* client/idem_store.h: the local idempotency store, a SQLite file
 * (idem_store.c), for the in-process client and serve. */
#ifndef CTL_CLIENT_IDEM_STORE_H
#define CTL_CLIENT_IDEM_STORE_H

#include <stddef.h>

#include "base/private.h"
#include "codec/idem.h"

CTLI_BEGIN_PRIVATE

typedef struct ctli_idem_sqlite ctli_idem_sqlite;

/* Opens (creating it and its table if need be) the store at path: WAL, a
 * busy timeout of 10 s, so processes and threads share it. NULL with err
 * set (errlen bytes) on failure. The caller owns the result: close it. */
ctli_idem_sqlite *ctli_idem_sqlite_open(const char *path, char *err, size_t errlen);

/* The store interface over it (borrowed: lives as long as s). */
const ctli_idem_store *ctli_idem_sqlite_store(ctli_idem_sqlite *s);

/* Closes the store; NULL is fine. */
void ctli_idem_sqlite_close(ctli_idem_sqlite *s);

CTLI_END_PRIVATE

#endif
