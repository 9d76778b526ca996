/* serve/listen.h: serve's listening socket (listen.c). */
#ifndef CTL_SERVE_LISTEN_H
#define CTL_SERVE_LISTEN_H

#include <stddef.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Binds and listens on HOST:PORT (a [v6] host in brackets; port 0 takes a
 * free one) and writes the address it got to shown (cap bytes). The
 * socket, or -1 when listen_at is not HOST:PORT, -2 when it cannot be
 * bound (errno set). */
int ctli_serve_listen(const char *listen_at, char *shown, size_t cap);

CTLI_END_PRIVATE

#endif
