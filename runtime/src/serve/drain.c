/* serve/drain.c: the end of `BIN serve` on SIGTERM or SIGINT.
 *
 * The line between requests served and requests refused is the signal
 * itself: a request whose first call comes once the signal is pending is
 * refused with 503 (ServiceException) and its event never runs, even
 * before the main thread wakes up to it. So the main thread waits for
 * the signal without taking it (poll on a signalfd): until it has set
 * `draining`, the signal stays pending, and a request's start sees one or
 * the other. Then: no new connections; requests under way get their
 * answers (a request still sending its body is dropped with its
 * connection: it was not accepted); once no request has been routed for a
 * quiet period, `closing` refuses what still routes (503), the drain
 * waits for every routed request to be answered (so a 202 that was
 * decided goes out), and MHD stops; the event queue drains (retries
 * included), the runners end. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "serve/drain.h"

int ctli_serve_wait_signal(serve *s, const sigset_t *sigs)
{
    int fd = signalfd(-1, sigs, SFD_CLOEXEC);
    if (fd >= 0) {
        struct pollfd p = { fd, POLLIN, 0 };
        while (poll(&p, 1, -1) < 0 && errno == EINTR)
            ;
    }
    /* Still pending: draining is set before the signal is taken. */
    pthread_mutex_lock(&s->mu);
    s->draining = true;
    pthread_mutex_unlock(&s->mu);
    int sig = 0;
    if (fd >= 0) {
        struct signalfd_siginfo info;
        if (read(fd, &info, sizeof info) == (ssize_t)sizeof info)
            sig = (int)info.ssi_signo;
        close(fd);
    } else {
        sigwait(sigs, &sig); /* no signalfd: the pending check still holds */
    }
    return sig;
}

bool ctli_serve_stop_pending(void)
{
    sigset_t pending;
    return sigpending(&pending) == 0 && (sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGINT) == 1);
}

/* Routed requests not yet completed, less those that never will (an HTTP
 * thread stuck in a handler). */
static int unanswered(serve *s)
{
    pthread_mutex_lock(&s->mu);
    int stuck = s->stuck_http;
    pthread_mutex_unlock(&s->mu);
    int n = atomic_load(&s->committed) - stuck;
    return n > 0 ? n : 0;
}

static void pause_ms(long ms)
{
    struct timespec t = { 0, ms * 1000000L };
    nanosleep(&t, NULL);
}

bool ctli_serve_drain_requests(serve *s)
{
    pthread_mutex_lock(&s->mu);
    s->draining = true;
    pthread_mutex_unlock(&s->mu);
    MHD_socket listen_fd = MHD_quiesce_daemon(s->daemon);
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    /* Requests that began before the signal and are between their last
     * byte and their routing get a quiet period to route. A call that
     * overran on an HTTP thread was answered, but its request ends only
     * when its handler returns: not waited for. */
    for (int quiet = 0; quiet < 5;) {
        quiet = unanswered(s) > 0 ? 0 : quiet + 1;
        pause_ms(10);
    }
    /* From now on nothing routes: what comes is refused (503), so that
     * nothing is accepted whose answer the stop below could cut off. */
    pthread_mutex_lock(&s->mu);
    atomic_store(&s->closing, true);
    pthread_mutex_unlock(&s->mu);
    /* Everything routed gets its answer out (a 202 decided is sent); a
     * client that stopped reading is given up on with its connection
     * (MHD's timeout; its event runs anyway). */
    while (unanswered(s) > 0)
        pause_ms(5);
    pthread_mutex_lock(&s->mu);
    bool http_stuck = s->stuck_http > 0;
    pthread_mutex_unlock(&s->mu);
    /* Stopping joins MHD's threads: not when one is in a handler that may
     * never return (the process's end stops it). */
    if (!http_stuck)
        MHD_stop_daemon(s->daemon);
    return http_stuck;
}

void ctli_serve_stop_runners(serve *s, bool wait)
{
    ctli_async_stop(s->events);
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_broadcast(&s->sync_cv);
    if (wait) {
        while (s->alive_sync > 0 || s->alive_async > 0)
            pthread_cond_wait(&s->changed, &s->mu);
    }
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->mu);
}
