/* serve/runners.c: the threads that run handlers (sync runners, async
 * workers): started with their loop, counted, and ended; one the watchdog
 * gave up on ends when its handler returns. While --max-stuck of those are
 * still in their handlers, no thread starts: a stuck handler costs a
 * thread, and they are bounded. */
#include <stdio.h>
#include <stdlib.h>

#include "codec/dispatch.h"
#include "serve/events.h"
#include "serve/runners.h"

static void *runner_main(void *arg)
{
    runner *w = arg;
    serve *s = w->s;
    bool abandoned = w->work(w);
    pthread_mutex_lock(&s->mu);
    if (abandoned) {
        /* The watchdog unlinked it and counted it stuck. An async worker
         * it could not replace (the cap) is replaced now. */
        s->stuck--;
        if (s->alive_async < s->opt.workers && !s->stopping)
            ctli_serve_spawn_runner(s, false, ctli_serve_events_work);
    } else {
        for (runner **at = &s->runners; *at; at = &(*at)->next)
            if (*at == w) {
                *at = w->next;
                break;
            }
        if (w->sync)
            s->alive_sync--;
        else
            s->alive_async--;
    }
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->mu);
    free(w);
    ctli_thread_release();
    return NULL;
}

int ctli_serve_spawn_runner(serve *s, bool sync, bool (*work)(runner *w))
{
    if (s->stuck >= s->opt.max_stuck) {
        if (!s->stuck_said) {
            fprintf(stderr,
                    "%s serve: %d threads are still in handlers that overran --timeout (--max-stuck %d): no thread "
                    "starts until one returns; calls get 429 while no runner is free, events wait\n",
                    s->prog, s->stuck, s->opt.max_stuck);
            s->stuck_said = true;
        }
        return -1;
    }
    s->stuck_said = false;
    runner *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->s = s;
    w->sync = sync;
    w->work = work;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    int rc = pthread_create(&t, &attr, runner_main, w);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        free(w);
        return -1;
    }
    w->next = s->runners;
    s->runners = w;
    if (sync)
        s->alive_sync++;
    else
        s->alive_async++;
    return 0;
}
