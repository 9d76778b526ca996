/* invoke_bench_server.c: a minimal, fast Lambda Invoke endpoint for
 * invoke_bench.sh, on libmicrohttpd (epoll, a thread pool of 2).
 *
 * Answers every POST /2015-03-31/functions/NAME/invocations with 202 and an
 * empty body (an Event invocation), after reading the whole body; anything
 * else gets 404. Prints "PORT n" once listening on 127.0.0.1 (an ephemeral
 * port), and on end of stdin prints "REQUESTS n BYTES m" (what it
 * answered) and exits. It checks nothing: the tests' double does that; this
 * one only has to be faster than the clients it measures. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>

#include <microhttpd.h>

static atomic_uint_fast64_t requests, bytes;

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)cls;
    (void)version;
    static int marker;
    if (*state == NULL) {
        *state = &marker; /* headers seen; the body follows */
        return MHD_YES;
    }
    if (*upload_size) {
        atomic_fetch_add(&bytes, *upload_size);
        (void)upload;
        *upload_size = 0;
        return MHD_YES;
    }
    static const char prefix[] = "/2015-03-31/functions/";
    size_t n = strlen(url);
    bool ok = strcmp(method, "POST") == 0 && strncmp(url, prefix, sizeof prefix - 1) == 0 && n > 12 &&
              strcmp(url + n - 12, "/invocations") == 0;
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    if (ok)
        atomic_fetch_add(&requests, 1);
    enum MHD_Result r = MHD_queue_response(conn, ok ? 202 : 404, resp);
    MHD_destroy_response(resp);
    return r;
}

int main(void)
{
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, answer, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!d) {
        fputs("cannot start the server\n", stderr);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (!info || !info->port) {
        fputs("no port\n", stderr);
        MHD_stop_daemon(d);
        return 1;
    }
    printf("PORT %u\n", (unsigned)info->port);
    fflush(stdout);
    char buf[256];
    while (fread(buf, 1, sizeof buf, stdin) > 0)
        ;
    MHD_stop_daemon(d);
    printf("REQUESTS %llu BYTES %llu\n", (unsigned long long)atomic_load(&requests),
           (unsigned long long)atomic_load(&bytes));
    return 0;
}
