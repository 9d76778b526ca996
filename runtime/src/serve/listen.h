/* serve/listen.h: serve's listening socket (listen.c). */
#ifndef CTL_SERVE_LISTEN_H
#define CTL_SERVE_LISTEN_H

#include <stddef.h>
#include <sys/socket.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Binds and listens on HOST:PORT (a [v6] host in brackets; port 0 takes a
 * free one) and writes the address it got to shown (cap bytes). The
 * socket, or -1 when listen_at is not HOST:PORT, -2 when it cannot be
 * bound (errno set). */
int ctli_serve_listen(const char *listen_at, char *shown, size_t cap);

/* Where the socket fd listens, as a client reaches it: a wildcard address
 * (0.0.0.0, ::) becomes the loopback of its family. 0, or -1. */
int ctli_serve_local_address(int fd, struct sockaddr_storage *addr, socklen_t *len);

/* Opens a connection to addr and closes it at once: every thread polling
 * the listening socket wakes up (see ctli_serve_waker_main). Waits at most
 * 100 ms for the connection. */
void ctli_serve_poke(const struct sockaddr_storage *addr, socklen_t len);

CTLI_END_PRIVATE

#endif
