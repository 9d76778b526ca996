/* lambda/rtapi_http.c: the HTTP/1.1 client of the Runtime API loop: one
 * kept-alive connection to AWS_LAMBDA_RUNTIME_API (plain HTTP on loopback)
 * over a blocking socket. A request goes out in one sendmsg (head and
 * body), its answer is read with the parser of http_response.c. Opening
 * a connection waits at most CTLI_RTAPI_CONNECT_TIMEOUT_MS; reading never
 * times out (GET /next waits for work). A kept connection the peer has
 * closed is replaced once per request, and the request sent again: it
 * reached no handler of the peer (the write failed, or the peer closed
 * before a byte of its answer). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lambda/rtapi_http.h"

/* glibc's resolver, referenced weakly: a weak reference does not pull it
 * out of a static libc.a, so a static program (ctl_package_lambda's static
 * leaf) links without it, and without the linker's warning that a static
 * getaddrinfo loads NSS's shared libraries at run time; there the functions
 * are NULL, and only a host name needs them. A dynamic program gets libc's. */
#pragma weak getaddrinfo
#pragma weak freeaddrinfo
#pragma weak gai_strerror

/* Resolves the host name host with glibc's resolver into *out; 0, or -1
 * with the reason in why. */
static int resolve_name(const char *api, const char *host, const char *port, ctli_rtapi_addrs *out, char *why,
                        size_t why_cap)
{
    if (!getaddrinfo || !freeaddrinfo || !gai_strerror) {
        snprintf(why, why_cap, "AWS_LAMBDA_RUNTIME_API '%.100s': '%s' is a host name, but this program is linked "
                 "statically, without glibc's resolver: give a numeric address (Lambda's is 127.0.0.1:9001), "
                 "or link it dynamically (ctl_package_lambda's DYNAMIC)", api, host);
        return -1;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    int rc = getaddrinfo(host, port, &hints, &res);
    for (const struct addrinfo *ai = rc == 0 ? res : NULL; ai && out->n < CTLI_RTAPI_ADDRS_MAX; ai = ai->ai_next) {
        if (ai->ai_addrlen > sizeof out->a[0].sa)
            continue;
        memcpy(&out->a[out->n].sa, ai->ai_addr, ai->ai_addrlen);
        out->a[out->n].len = ai->ai_addrlen;
        out->n++;
    }
    if (res)
        freeaddrinfo(res);
    if (out->n == 0) {
        snprintf(why, why_cap, "AWS_LAMBDA_RUNTIME_API '%.100s': cannot resolve '%s': %s", api, host,
                 rc ? gai_strerror(rc) : "no address");
        return -1;
    }
    return 0;
}

int ctli_rtapi_resolve(const char *api, ctli_rtapi_addrs *out, char *why, size_t why_cap)
{
    memset(out, 0, sizeof *out);
    const char *colon = strrchr(api, ':');
    const char *port = colon ? colon + 1 : "";
    size_t np = strlen(port);
    long value = np > 0 && np <= 5 ? 0 : -1;
    for (size_t i = 0; value >= 0 && i < np; i++)
        value = port[i] >= '0' && port[i] <= '9' ? value * 10 + (port[i] - '0') : -1;
    if (value < 1 || value > 65535) {
        snprintf(why, why_cap, "AWS_LAMBDA_RUNTIME_API '%.100s' is not HOST:PORT (a port of 1 to 65535)", api);
        return -1;
    }
    const char *h = api;
    size_t hl = (size_t)(colon - api);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    } else if (memchr(h, ':', hl) || memchr(h, '[', hl) || memchr(h, ']', hl)) {
        snprintf(why, why_cap, "AWS_LAMBDA_RUNTIME_API '%.100s' is not HOST:PORT (an IPv6 address goes in "
                               "brackets: [::1]:9001)", api);
        return -1;
    }
    char host[256];
    if (hl == 0 || hl >= sizeof host) {
        snprintf(why, why_cap, "AWS_LAMBDA_RUNTIME_API '%.100s' is not HOST:PORT (a host of 1 to %zu bytes)", api,
                 sizeof host - 1);
        return -1;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';
    struct sockaddr_in *v4 = (struct sockaddr_in *)&out->a[0].sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out->a[0].sa;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)value);
        out->a[0].len = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)value);
        out->a[0].len = sizeof *v6;
    } else {
        return resolve_name(api, host, port, out, why, why_cap);
    }
    out->n = 1;
    return 0;
}

int ctli_rtapi_conn_init(ctli_rtapi_conn *c, const char *api)
{
    memset(c, 0, sizeof *c);
    c->api = api;
    c->fd = -1;
    return ctli_rtapi_resolve(api, &c->addrs, c->error, sizeof c->error);
}

static void disconnect(ctli_rtapi_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

void ctli_rtapi_conn_free(ctli_rtapi_conn *c)
{
    disconnect(c);
}

/* Connects fd (non-blocking) to ai within the timeout; 0, or an errno
 * (ETIMEDOUT when the time ran out). */
static int connect_within(int fd, const struct sockaddr *sa, socklen_t salen)
{
    if (connect(fd, sa, salen) == 0)
        return 0;
    if (errno != EINPROGRESS)
        return errno;
    struct pollfd p = { .fd = fd, .events = POLLOUT };
    int n;
    do
        n = poll(&p, 1, CTLI_RTAPI_CONNECT_TIMEOUT_MS);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return errno;
    if (n == 0)
        return ETIMEDOUT;
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        return errno;
    return err;
}

/* Opens a connection to the first of the addresses that answers. */
static int open_connection(ctli_rtapi_conn *c)
{
    int err = 0;
    for (int i = 0; i < c->addrs.n; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)&c->addrs.a[i].sa;
        int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            err = errno;
            continue;
        }
        err = connect_within(fd, sa, c->addrs.a[i].len);
        int flags = fcntl(fd, F_GETFL);
        int one = 1;
        if (!err && (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 ||
                     setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0))
            err = errno;
        if (!err) {
            c->fd = fd;
            return 0;
        }
        close(fd);
    }
    if (err == ETIMEDOUT)
        snprintf(c->error, sizeof c->error, "cannot connect to the Runtime API at %.100s: no connection within "
                 "%d ms (CTLI_RTAPI_CONNECT_TIMEOUT_MS)", c->api, CTLI_RTAPI_CONNECT_TIMEOUT_MS);
    else
        snprintf(c->error, sizeof c->error, "cannot connect to the Runtime API at %.100s: %s", c->api,
                 strerror(err));
    return -1;
}

/* Writes the iovcnt buffers of iov whole; 0, or an errno. */
static int send_all(int fd, struct iovec *iov, int iovcnt)
{
    while (iovcnt > 0) {
        struct msghdr m;
        memset(&m, 0, sizeof m);
        m.msg_iov = iov;
        m.msg_iovlen = (size_t)iovcnt;
        ssize_t n = sendmsg(fd, &m, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        size_t done = (size_t)n;
        while (iovcnt > 0 && done >= iov->iov_len) {
            done -= iov->iov_len;
            iov++;
            iovcnt--;
        }
        if (iovcnt > 0) {
            iov->iov_base = (char *)iov->iov_base + done;
            iov->iov_len -= done;
        }
    }
    return 0;
}

enum { SENT, GONE, FAILED }; /* how an attempt ended; GONE: the peer had closed, nothing reached it */

/* One attempt on the open connection: the status in *status on SENT. */
static int attempt(ctli_rtapi_conn *c, const ctl_buf *head, const char *body, size_t len,
                   ctli_http_header_fn on_header, void *user, ctl_buf *out_body, int *status)
{
    struct iovec iov[2] = { { head->data, head->len }, { (void *)body, body ? len : 0 } };
    int err = send_all(c->fd, iov, body && len ? 2 : 1);
    if (err) {
        snprintf(c->error, sizeof c->error, "writing the request to the Runtime API: %s", strerror(err));
        return GONE;
    }
    ctli_http_parser p;
    ctli_http_parser_init(&p, out_body, on_header, user);
    char buf[16384];
    for (;;) {
        ssize_t n = recv(c->fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == ECONNRESET && p.received == 0) {
            snprintf(c->error, sizeof c->error, "the Runtime API reset the connection before answering");
            return GONE;
        }
        if (n < 0) {
            snprintf(c->error, sizeof c->error, "reading the Runtime API's answer: %s", strerror(errno));
            return FAILED;
        }
        size_t used = 0;
        ctli_http_result r = n == 0 ? ctli_http_parse_eof(&p) : ctli_http_parse(&p, buf, (size_t)n, &used);
        switch (r) {
        case CTLI_HTTP_MORE:
            continue;
        case CTLI_HTTP_DONE:
            *status = p.status;
            if (!p.keep_alive || n == 0 || used < (size_t)n) /* bytes past the answer: not to be trusted */
                disconnect(c);
            return SENT;
        case CTLI_HTTP_CLOSED:
            snprintf(c->error, sizeof c->error, "the Runtime API closed the connection without answering");
            return GONE;
        default:
            snprintf(c->error, sizeof c->error, "the Runtime API's answer: %s", p.error);
            return FAILED;
        }
    }
}

int ctli_rtapi_conn_request(ctli_rtapi_conn *c, const char *method, const char *path, const char *const *headers,
                            const char *body, size_t len, ctli_http_header_fn on_header, void *user,
                            ctl_buf *out_body)
{
    ctl_buf head = CTL_BUF_INIT;
    ctl_buf_put(&head, method, strlen(method));
    ctl_buf_putc(&head, ' ');
    ctl_buf_put(&head, path, strlen(path));
    CTL_BUF_LIT(&head, " HTTP/1.1\r\nHost: ");
    ctl_buf_put(&head, c->api, strlen(c->api));
    CTL_BUF_LIT(&head, "\r\n");
    for (size_t i = 0; headers && headers[i]; i++) {
        ctl_buf_put(&head, headers[i], strlen(headers[i]));
        CTL_BUF_LIT(&head, "\r\n");
    }
    if (body) {
        char cl[48];
        int n = snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", len);
        ctl_buf_put(&head, cl, (size_t)n);
    }
    CTL_BUF_LIT(&head, "\r\n");
    if (head.failed) {
        ctl_buf_free(&head);
        snprintf(c->error, sizeof c->error, "out of memory writing the request");
        return -1;
    }
    int status = -1;
    for (int tries = 0; tries < 2; tries++) {
        bool kept = c->fd >= 0;
        if (!kept && open_connection(c) != 0)
            break;
        int how = attempt(c, &head, body, len, on_header, user, out_body, &status);
        if (how == SENT)
            break;
        disconnect(c);
        if (how == FAILED || !kept)
            break;
    }
    ctl_buf_free(&head);
    return status;
}
