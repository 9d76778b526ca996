/* base/clock.h: the clocks libctl reads, and a timed wait on them. */
#ifndef CTL_BASE_CLOCK_H
#define CTL_BASE_CLOCK_H

#include <pthread.h>
#include <stdint.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* A monotonic clock in milliseconds: for delays and deadlines. */
uint64_t ctli_now_ms(void);

/* The same clock in microseconds: for durations that are logged. */
uint64_t ctli_now_us(void);

/* Wall-clock time in milliseconds since the Unix epoch, to a few ms (the
 * clock's tick): for times that outlive the process or are compared with
 * other machines' clocks, in seconds. */
uint64_t ctli_wall_ms(void);

/* Waits on cv (mu held) until signalled or until due_ms (ctli_now_ms's
 * clock) has passed. */
void ctli_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, uint64_t due_ms);

CTLI_END_PRIVATE

#endif
