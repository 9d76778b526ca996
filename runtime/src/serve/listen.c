/* serve/listen.c: serve's listening socket: HOST:PORT read, bound,
 * listened on, and the address it got named. */
#include <arpa/inet.h>
#include <netdb.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "serve/listen.h"
#include "serve/options.h"

int ctli_serve_listen(const char *listen_at, char *shown, size_t cap)
{
    char host[256];
    const char *colon = strrchr(listen_at, ':');
    if (!colon || colon == listen_at || (size_t)(colon - listen_at) >= sizeof host)
        return -1;
    memcpy(host, listen_at, (size_t)(colon - listen_at));
    host[colon - listen_at] = '\0';
    const char *port = colon + 1;
    unsigned long p;
    if (ctli_serve_parse_uint(port, 65535, &p) != 0)
        return -1;
    char *h = host;
    if (h[0] == '[') { /* [::1]:9001 */
        size_t n = strlen(h);
        if (n < 3 || h[n - 1] != ']')
            return -1;
        h[n - 1] = '\0';
        h++;
    }
    struct addrinfo hints = { 0 }, *ai = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    if (getaddrinfo(h, port, &hints, &ai) != 0 || !ai)
        return -1;
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 4096) != 0) {
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -2;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    char addr[INET6_ADDRSTRLEN] = "?";
    unsigned bound = 0;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
            inet_ntop(AF_INET6, &a->sin6_addr, addr, sizeof addr);
            bound = ntohs(a->sin6_port);
            snprintf(shown, cap, "[%s]:%u", addr, bound);
        } else {
            struct sockaddr_in *a = (struct sockaddr_in *)&ss;
            inet_ntop(AF_INET, &a->sin_addr, addr, sizeof addr);
            bound = ntohs(a->sin_port);
            snprintf(shown, cap, "%s:%u", addr, bound);
        }
    }
    return fd;
}

int ctli_serve_local_address(int fd, struct sockaddr_storage *addr, socklen_t *len)
{
    *len = sizeof *addr;
    if (getsockname(fd, (struct sockaddr *)addr, len) != 0)
        return -1;
    if (addr->ss_family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)addr;
        if (a->sin_addr.s_addr == htonl(INADDR_ANY))
            a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else if (addr->ss_family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)addr;
        if (memcmp(&a->sin6_addr, &in6addr_any, sizeof in6addr_any) == 0)
            a->sin6_addr = in6addr_loopback;
    } else {
        return -1;
    }
    return 0;
}

void ctli_serve_poke(const struct sockaddr_storage *addr, socklen_t len)
{
    int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return;
    /* Non-blocking: a full accept queue must not hold the caller up. */
    if (connect(fd, (const struct sockaddr *)addr, len) != 0) {
        struct pollfd p = { fd, POLLOUT, 0 };
        poll(&p, 1, 100);
    }
    close(fd);
}
