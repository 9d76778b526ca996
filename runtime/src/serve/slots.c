/* serve/slots.c: the HTTP threads' records: made on a thread's first
 * connection, they keep the sockets of the connections the thread owns and
 * its requests waiting on a runner or in the queue, so that the watchdog
 * can release them when a call hangs on the thread (inline.c). */
#include <stdlib.h>

#include "codec/dispatch.h"
#include "serve/slots.h"

static pthread_key_t http_thread_key;
static pthread_once_t http_thread_once = PTHREAD_ONCE_INIT;
static _Thread_local inline_slot *my_slot;

inline_slot *ctli_serve_my_slot(void)
{
    return my_slot;
}

/* MHD's threads end without telling us: free dispatch's cached context
 * when they do. */
static void http_thread_end(void *slot)
{
    (void)slot;
    ctli_thread_release();
}

static void make_http_thread_key(void)
{
    pthread_key_create(&http_thread_key, http_thread_end);
}

/* The calling HTTP thread's record, made on its first connection; NULL
 * when out of memory (then nothing runs on it, and what it owns is not
 * released when it gets stuck: it cannot, with nothing running there). */
static inline_slot *thread_slot(serve *s)
{
    inline_slot *slot = my_slot;
    if (!slot) {
        pthread_once(&http_thread_once, make_http_thread_key);
        slot = calloc(1, sizeof *slot);
        if (!slot)
            return NULL;
        pthread_mutex_lock(&s->mu);
        slot->next = s->slots;
        s->slots = slot;
        pthread_mutex_unlock(&s->mu);
        pthread_setspecific(http_thread_key, slot);
        my_slot = slot;
    }
    return slot;
}

/* MHD tells the thread that owns a connection (each thread of the pool
 * accepts its own) when it starts and closes: the thread's record keeps
 * its socket, so that a hung call can release the thread's others. */
void ctli_serve_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                              enum MHD_ConnectionNotificationCode code)
{
    serve *s = cls;
    bool started = code == MHD_CONNECTION_NOTIFY_STARTED;
    inline_slot *slot = started ? thread_slot(s) : *socket_context;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!slot || !ci)
        return;
    int fd = ci->connect_fd;
    pthread_mutex_lock(&s->mu);
    if (started) {
        if (slot->nfds == slot->cap_fds) {
            size_t cap = slot->cap_fds ? slot->cap_fds * 2 : 64;
            int *bigger = realloc(slot->fds, cap * sizeof *bigger);
            if (bigger) {
                slot->fds = bigger;
                slot->cap_fds = cap;
            }
        }
        if (slot->nfds < slot->cap_fds) {
            slot->fds[slot->nfds++] = fd;
            *socket_context = slot;
        }
    } else {
        for (size_t i = 0; i < slot->nfds; i++)
            if (slot->fds[i] == fd) {
                slot->fds[i] = slot->fds[--slot->nfds];
                break;
            }
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&s->mu);
}

/* Under s->mu: r waits on a runner or in the queue; its thread's record
 * holds it until it completes. */
void ctli_serve_hold(req *r)
{
    inline_slot *slot = r->slot;
    if (!slot)
        return;
    r->held_prev = NULL;
    r->held_next = slot->held;
    if (slot->held)
        slot->held->held_prev = r;
    slot->held = r;
}

void ctli_serve_unhold(req *r)
{
    inline_slot *slot = r->slot;
    if (!slot || (!r->held_prev && slot->held != r))
        return;
    if (r->held_prev)
        r->held_prev->held_next = r->held_next;
    else
        slot->held = r->held_next;
    if (r->held_next)
        r->held_next->held_prev = r->held_prev;
    r->held_prev = r->held_next = NULL;
}
