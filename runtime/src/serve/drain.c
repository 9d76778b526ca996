/* serve/drain.c: the end of `BIN serve`: no new connections, requests under
 * way get their answers (a request still sending its body is dropped with
 * its connection: it was not accepted), the event queue drains (retries
 * included), the runners end. */
#include <time.h>
#include <unistd.h>

#include "serve/drain.h"

bool ctli_serve_drain_requests(serve *s)
{
    pthread_mutex_lock(&s->mu);
    s->draining = true;
    pthread_mutex_unlock(&s->mu);
    MHD_socket listen_fd = MHD_quiesce_daemon(s->daemon);
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    /* Wait for the requests routed to a handler or the queue (not for
     * those still sending: they are dropped with their connections). A
     * call that overran on an HTTP thread was answered, but its request
     * ends only when its handler returns: not waited for. A request between
     * its last byte and its routing takes microseconds: the quiet period
     * covers it. */
    for (int quiet = 0; quiet < 5;) {
        pthread_mutex_lock(&s->mu);
        int stuck = s->stuck_http;
        pthread_mutex_unlock(&s->mu);
        quiet = atomic_load(&s->committed) > stuck ? 0 : quiet + 1;
        struct timespec pause = { 0, 10 * 1000000L };
        nanosleep(&pause, NULL);
    }
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
