/* base/clock.c: the clocks libctl reads, and a timed wait on them. */
#include <time.h>

#include "base/clock.h"

uint64_t ctli_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t ctli_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t ctli_wall_ms(void)
{
    struct timespec ts;
#ifdef CLOCK_REALTIME_COARSE
    /* The tick's time: a few ms of resolution, at a fraction of the cost
     * (an event's acceptance time is read on every send). */
    clock_gettime(CLOCK_REALTIME_COARSE, &ts);
#else
    clock_gettime(CLOCK_REALTIME, &ts);
#endif
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void ctli_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, uint64_t due_ms)
{
    /* pthread_cond_timedwait takes CLOCK_REALTIME: the wait is converted. */
    uint64_t now = ctli_now_ms();
    uint64_t wait = due_ms > now ? due_ms - now : 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)(wait / 1000);
    ts.tv_nsec += (long)(wait % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(cv, mu, &ts);
}
