/* mhd_stall_test.c: the stall of libmicrohttpd's epoll loop that serve's
 * watchdog pokes away (runtime/src/serve/watchdog.c), shown on an MHD
 * daemon set up as serve's is (internal polling thread, epoll, turbo; one
 * thread here, so that every connection is its): the thread is held 500 ms
 * in a handler while 128 kept-alive connections send a request each. When
 * it comes back, one epoll_wait returns exactly 128 events (MAX_EVENTS),
 * and MHD waits again with its old timeout before serving them: until the
 * connection timeout (3 s here, 30 s in serve), when it closes them as
 * timed out or serves them late. With ctli_serve_poke() every 200 ms (what
 * the watchdog does), all are answered within a second. Without pokes the
 * stall is reported, not checked: it is libmicrohttpd's to fix. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "serve/listen.h"

#include "../check.h"

enum { N = 128 };

static void sleep_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}

static atomic_int slow_left;
static atomic_bool poking;
static struct sockaddr_storage addr;
static socklen_t addr_len;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **req)
{
    (void)cls, (void)method, (void)version, (void)upload, (void)upload_size;
    if (!*req) {
        *req = (void *)1;
        return MHD_YES;
    }
    if (strcmp(url, "/slow") == 0 && atomic_fetch_sub(&slow_left, 1) > 0)
        sleep_ms(500); /* the thread is busy while the others' requests come */
    struct MHD_Response *r = MHD_create_response_from_buffer(2, "ok", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result rc = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return rc;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int connect_to(void)
{
    int fd = socket(addr.ss_family, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, addr_len) != 0) {
        perror("connect");
        exit(2);
    }
    return fd;
}

static void *poker(void *arg)
{
    (void)arg;
    while (atomic_load(&poking)) {
        sleep_ms(200);
        ctli_serve_poke(&addr, addr_len);
    }
    return NULL;
}

/* One round: the thread held, N requests sent meanwhile; the seconds until
 * the last answer, and how many came. */
static double round_trip(bool poke, int *answered)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in any = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&any, sizeof any) != 0 || listen(lfd, 4096) != 0 ||
        ctli_serve_local_address(lfd, &addr, &addr_len) != 0) {
        perror("listen");
        exit(2);
    }
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, 0, NULL, NULL, on_request, NULL,
        MHD_OPTION_LISTEN_SOCKET, lfd, MHD_OPTION_THREAD_POOL_SIZE, 1u, MHD_OPTION_CONNECTION_TIMEOUT, 3u,
        MHD_OPTION_END);
    if (!d) {
        fputs("cannot start MHD\n", stderr);
        exit(2);
    }
    atomic_store(&slow_left, 1);
    atomic_store(&poking, poke);
    pthread_t t;
    if (poke)
        pthread_create(&t, NULL, poker, NULL);
    int slow = connect_to(), fds[N];
    for (int i = 0; i < N; i++)
        fds[i] = connect_to();
    sleep_ms(300); /* every connection accepted, and idle */
    static const char slow_req[] = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    CHECK(write(slow, slow_req, sizeof slow_req - 1) == (ssize_t)(sizeof slow_req - 1), "write");
    sleep_ms(100); /* the thread is in the slow handler */
    double t0 = now(), last = 0;
    for (int i = 0; i < N; i++)
        CHECK(write(fds[i], req, sizeof req - 1) == (ssize_t)(sizeof req - 1), "write");
    *answered = 0;
    for (int i = 0; i < N; i++) {
        char buf[512];
        ssize_t k = read(fds[i], buf, sizeof buf);
        if (k > 12 && memcmp(buf, "HTTP/1.1 200", 12) == 0) {
            ++*answered;
            last = now() - t0;
        }
        close(fds[i]);
    }
    close(slow);
    atomic_store(&poking, false);
    if (poke)
        pthread_join(t, NULL);
    MHD_stop_daemon(d);
    close(lfd);
    return last;
}

int main(void)
{
    int answered;
    double without = round_trip(false, &answered);
    printf("without pokes: %d of %d answered, the last after %.2f s%s\n", answered, N, without,
           without > 1.5 || answered < N ? " (libmicrohttpd's stall)" : "");
    double with = round_trip(true, &answered);
    printf("with a poke every 200 ms: %d of %d answered, the last after %.2f s\n", answered, N, with);
    CHECK(answered == N && with < 1.5, "with pokes, %d of %d answered, the last after %.2f s", answered, N, with);
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
