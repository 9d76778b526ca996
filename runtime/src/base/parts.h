/* base/parts.h: the parts of libctl a program may leave out, as the core
 * reaches them (runtime/README.md, "Parts").
 *
 * The core (libctl.a: base, codec, client, main) never names a symbol of
 * another part, so that linking libctl.a pulls in none of libcurl,
 * libcrypto, libmicrohttpd or libsqlite3. Each part instead fills its slots
 * of ctli_linked from a constructor in its own object (part_*.c), which runs
 * when the part is in the program; a part is in the program when something
 * references it: its public functions (ctl_client_use_lambda...), its
 * anchor ctl_part_NAME (ctl/gen.h), which generated code names and
 * ctl_generate passes to the linker as -u. A NULL slot is a part the
 * program lacks: the caller refuses with CTLI_PART_MISSING's words. */
#ifndef CTL_BASE_PARTS_H
#define CTL_BASE_PARTS_H

#include <stddef.h>

#include "ctl/ctl.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

struct ctli_idem_store;

typedef struct ctli_parts {
    /* libctl_rtapi: the Runtime API loop (lambda/rtapi.c). */
    int (*rtapi_main)(const char *prog, const ctl_controller *const *hosted, size_t nhosted);
    /* libctl_serve: `BIN serve` (serve/main.c). */
    int (*serve_main)(const char *prog, int argc, char **argv, const ctl_controller *const *hosted, size_t n);
    /* libctl_aws, for the loop, which uses them when the part is there: the
     * Lambda transport attached now and made at the first send or call
     * (lambda/invoke_lazy.c), and ctl_client_use_idempotency_table. */
    ctl_status (*use_lambda_lazily)(ctl_client *client);
    ctl_status (*use_idempotency_table)(ctl_client *client, const char *table);
    /* libctl_sqlite: opens the local idempotency store at path (the store's
     * interface, owned: pass its self to *close), or NULL with err set. */
    const struct ctli_idem_store *(*open_local_store)(const char *path, void (**close)(void *self), char *err,
                                                     size_t errlen);
    /* libctl_sqlite or libctl_aws (the parts with a store, which use
     * libcrypto): the lowercase hex SHA-256 of len bytes into hex. -1 on
     * libcrypto's failure (or, in libctl_aws, when it cannot be opened). */
    int (*sha256_hex)(const void *data, size_t len, char hex[65]);
} ctli_parts;

/* The parts in this program: zero but for what their constructors set. */
extern ctli_parts ctli_linked;

/* The words for a part the program lacks: NAME is rtapi, aws, sqlite or
 * serve, WHAT says what it holds. */
#define CTLI_PART_MISSING(name, what)                                                                          \
    "this program is linked without libctl_" name " (" what "); link ctl::" name " (CMake) or ctl_" name       \
    " (pkg-config)"

CTLI_END_PRIVATE

#endif
