/* serve/runners.c: the threads that run handlers (sync runners, async
 * workers): started with their loop, counted, and ended; one the watchdog
 * gave up on ends when its handler returns. */
#include <stdlib.h>

#include "codec/dispatch.h"
#include "serve/runners.h"

static void *runner_main(void *arg)
{
    runner *w = arg;
    serve *s = w->s;
    bool abandoned = w->work(w);
    pthread_mutex_lock(&s->mu);
    if (abandoned) {
        /* The watchdog unlinked it and counted it stuck. */
        s->stuck--;
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
