/* fd_test.c: the Lambda transport holds no file descriptor or thread it
 * should not, over many requests and many clients.
 *
 * Usage: ctl_fd_test [SENDS]   (default 100000)
 *
 * A child process serves the Invoke API on libmicrohttpd (loopback, an
 * ephemeral port): function `fdok` answers 202 (Event) or 200 `null`
 * (RequestResponse), `fdclose` the same and closes the connection (so the
 * client keeps opening new ones), `fdfail` 500 (retried, then the failure
 * sink). The server runs in its own process so that its sockets are not
 * counted with the client's. This program counts the entries of
 * /proc/self/fd and /proc/self/task before, during and after:
 *   - SENDS sends (one in ten to fdclose), 2,000 calls and 200 sends that
 *     fail for good through one client: while it lives, at most
 *     max_in_flight connections and the transport's own few descriptors;
 *     once freed, exactly as many descriptors and threads as before;
 *   - 200 clients made, used and freed one after another: the same.
 * The server's request count must equal the requests the client should
 * have made (no lost or repeated request). */
#include <dirent.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <microhttpd.h>

#include "ctl/ctl.h"
#include "../check.h"

#define MAX_IN_FLIGHT 16
#define CALLS 2000
#define FAILS 200
#define CLIENTS 200

/* ---- the server (child process) ------------------------------------------------------- */

static atomic_ullong served;

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)cls;
    (void)version;
    (void)upload;
    static int marker;
    if (*state == NULL) {
        *state = &marker; /* headers seen; the body follows */
        return MHD_YES;
    }
    if (*upload_size) {
        *upload_size = 0;
        return MHD_YES;
    }
    atomic_fetch_add(&served, 1);
    const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Amz-Invocation-Type");
    bool event = type && strcmp(type, "Event") == 0;
    bool fail = strstr(url, "/functions/fdfail/") != NULL;
    bool close_after = strstr(url, "/functions/fdclose/") != NULL;
    unsigned status = strcmp(method, "POST") != 0 ? 405 : fail ? 500 : event ? 202 : 200;
    const char *body = fail ? "{\"message\":\"scripted\"}" : event ? "" : "null";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    if (fail)
        MHD_add_response_header(resp, "x-amzn-ErrorType", "ServiceException");
    if (close_after)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result r = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* Serves until `in` reaches end of file, then writes the count to `out`. */
static int serve(int in, int out)
{
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, 0, NULL, NULL, answer, NULL,
                                            MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_CONNECTION_LIMIT, 1024u,
                                            MHD_OPTION_END);
    const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    if (!info || !info->port)
        return 1;
    dprintf(out, "PORT %u\n", (unsigned)info->port);
    char buf[64];
    while (read(in, buf, sizeof buf) > 0)
        ;
    MHD_stop_daemon(d);
    dprintf(out, "SERVED %llu\n", (unsigned long long)atomic_load(&served));
    return 0;
}

/* ---- counting --------------------------------------------------------------------------- */

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static int fds(void)
{
    return count_entries("/proc/self/fd") - 1; /* less the one reading it */
}

static int threads(void)
{
    return count_entries("/proc/self/task");
}

/* The thread count once joined threads are gone: pthread_join returns when
 * the kernel clears the thread's id, which can be a moment before its entry
 * leaves /proc/self/task. Waits up to 5 s for the count to reach want; a
 * thread that was never joined stays and is reported. */
static int threads_settled(int want)
{
    int n = threads();
    for (int i = 0; i < 500 && n != want; i++) {
        nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
        n = threads();
    }
    return n;
}

static atomic_int sunk;

static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)user;
    (void)event;
    (void)len;
    (void)error_message;
    if (strcmp(controller, "fdfail") != 0 || strcmp(error_type, "ServiceException") != 0 || attempts != 3)
        fprintf(stderr, "unexpected failure: %s %s %d\n", controller, error_type, attempts);
    else
        atomic_fetch_add(&sunk, 1);
}

static ctl_client *make_client(const char *endpoint)
{
    ctl_client_config cfg = { .dead_letter_path = "", .on_failure = on_failure };
    ctl_client *client = ctl_client_new(&cfg);
    ctl_lambda_config lc = { .endpoint_url = endpoint, .max_in_flight = MAX_IN_FLIGHT, .backoff_base_ms = 1 };
    if (!client || ctl_client_use_lambda(client, &lc) != CTL_OK) {
        fprintf(stderr, "cannot make a client: %s\n", client ? ctl_client_error(client) : "out of memory");
        exit(2);
    }
    return client;
}

static const char event[] = "{\"function\":\"fire\",\"id\":\"fd\",\"n\":1}";

int main(int argc, char **argv)
{
    long sends = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    if (sends < 10) {
        fputs("usage: ctl_fd_test [SENDS >= 10]\n", stderr);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int to_server[2], from_server[2];
    if (pipe(to_server) != 0 || pipe(from_server) != 0) {
        perror("pipe");
        return 2;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(to_server[1]);
        close(from_server[0]);
        _exit(serve(to_server[0], from_server[1]));
    }
    close(to_server[0]);
    close(from_server[1]);
    FILE *from = fdopen(from_server[0], "r");
    unsigned port = 0;
    if (!from || fscanf(from, "PORT %u", &port) != 1) {
        fputs("the server did not start (libmicrohttpd)\n", stderr);
        return 2;
    }
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%u", port);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "fd-test-secret", 1);
    unsetenv("AWS_SESSION_TOKEN");

    /* libcurl's one-time global state is made by the first client; make it
     * before counting so that it is not taken for a leak. */
    ctl_client_free(make_client(endpoint));
    int fd0 = fds(), task0 = threads();

    ctl_client *client = make_client(endpoint);
    long to_close = 0;
    for (long i = 0; i < sends; i++) {
        const char *controller = i % 10 == 9 ? "fdclose" : "fdok";
        to_close += i % 10 == 9;
        if (ctl_client_send(client, controller, event, sizeof event - 1) != CTL_OK) {
            CHECK(0, "send %ld: %s", i, ctl_client_error(client));
            break;
        }
        if (i % 5000 == 0) {
            int now = fds();
            CHECK(now <= fd0 + MAX_IN_FLIGHT + 4, "%d descriptors after %ld sends (%d before)", now, i, fd0);
        }
    }
    for (int i = 0; i < FAILS; i++)
        CHECK(ctl_client_send(client, "fdfail", event, sizeof event - 1) == CTL_OK, "send to fdfail");
    int calls_ok = 0;
    for (int i = 0; i < CALLS; i++) {
        ctl_response resp;
        calls_ok += ctl_client_call(client, "fdok", event, sizeof event - 1, &resp) == CTL_OK &&
                    strcmp(resp.body, "null") == 0;
        ctl_response_free(&resp);
    }
    ctl_client_flush(client);
    int during = fds();
    CHECK(during <= fd0 + MAX_IN_FLIGHT + 4, "%d descriptors with the client alive (%d before)", during, fd0);
    ctl_client_stats stats;
    ctl_client_stats_get(client, &stats);
    CHECK(calls_ok == CALLS, "%d of %d calls answered", calls_ok, CALLS);
    CHECK(stats.sent == (uint64_t)(sends + FAILS) && stats.succeeded == (uint64_t)sends &&
              stats.failed == FAILS && stats.retried == 2 * FAILS,
          "stats sent %llu succeeded %llu failed %llu retried %llu", (unsigned long long)stats.sent,
          (unsigned long long)stats.succeeded, (unsigned long long)stats.failed, (unsigned long long)stats.retried);
    CHECK(atomic_load(&sunk) == FAILS, "%d failures sunk", atomic_load(&sunk));
    ctl_client_free(client);
    int after = fds(), task_after = threads_settled(task0);
    CHECK(after == fd0, "%d descriptors after the client, %d before", after, fd0);
    CHECK(task_after == task0, "%d threads after the client, %d before", task_after, task0);

    /* Many clients, one after another. */
    for (int i = 0; i < CLIENTS; i++) {
        client = make_client(endpoint);
        CHECK(ctl_client_send(client, "fdclose", event, sizeof event - 1) == CTL_OK, "send");
        ctl_client_free(client);
    }
    int after_many = fds(), task_many = threads_settled(task0);
    CHECK(after_many == fd0, "%d descriptors after %d clients, %d before", after_many, CLIENTS, fd0);
    CHECK(task_many == task0, "%d threads after %d clients, %d before", task_many, CLIENTS, task0);

    close(to_server[1]);
    unsigned long long served_count = 0;
    CHECK(fscanf(from, " SERVED %llu", &served_count) == 1, "the server's count");
    fclose(from);
    int st = 0;
    waitpid(pid, &st, 0);
    /* Every send once (fdfail three times), every call, one send per client. */
    unsigned long long expected = (unsigned long long)sends + 3ull * FAILS + CALLS + CLIENTS;
    CHECK(served_count == expected, "the server answered %llu requests, not %llu", served_count, expected);
    printf("fd_test: %ld sends (%ld on connections closed after each), %d calls, %d failing sends, %d clients; "
           "descriptors %d before, %d with the client alive, %d after; threads %d before, %d after\n",
           sends, to_close, CALLS, FAILS, CLIENTS, fd0, during, after_many, task0, task_many);
    printf("fd_test: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
