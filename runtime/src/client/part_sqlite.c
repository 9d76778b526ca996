/* client/part_sqlite.c: libctl_sqlite, the local idempotency store
 * (idem_store.c, over libsqlite3), registered with the core
 * (base/parts.h) when the part is linked. */
#include "ctl/gen.h"

#include "base/parts.h"
#include "client/idem_store.h"
#include "codec/sha256.h"

const char ctl_part_sqlite[] = "libctl_sqlite";

static void close_store(void *self)
{
    ctli_idem_sqlite_close(self);
}

static const ctli_idem_store *open_store(const char *path, void (**close)(void *self), char *err, size_t errlen)
{
    const ctli_idem_store *store = ctli_idem_sqlite_store(ctli_idem_sqlite_open(path, err, errlen));
    if (store)
        *close = close_store;
    return store;
}

__attribute__((constructor)) static void register_part(void)
{
    ctli_linked.open_local_store = open_store;
    ctli_linked.sha256_hex = ctli_sha256_hex;
}
