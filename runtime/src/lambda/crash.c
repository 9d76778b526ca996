/* lambda/crash.c: a handler that crashes still answers its invocation.
 *
 * Without this, a SIGSEGV inside a handler kills the runtime and Lambda
 * reports only "Runtime exited" (or, worse, the caller of a synchronous
 * invoke learns nothing useful). Design: each poller of the loop (one, or
 * AWS_LAMBDA_MAX_CONCURRENCY of them) has a slot; while its invocation is
 * in flight the slot holds the start of a ready-made `POST
 * .../invocation/{id}/error` request, and the Runtime API's address is
 * resolved once. The signal handler (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
 * SIGABRT) takes every armed slot, finds the invocation that crashed (the
 * slot of the crashing thread; failing that, the only invocation in
 * flight), posts ctl.HandlerCrashed for it and Runtime.ExitError for each
 * other invocation in flight (the process ends under them: they are
 * answered now rather than left to time out), each on a fresh connection,
 * says on stderr which request crashed, waits briefly for the answers,
 * then dies of the same signal with the default action (so the exit status
 * and any core dump tell the truth and Lambda recycles the environment).
 * Only async-signal-safe calls are used there: memcpy, strlen, getpid,
 * socket, connect, send, poll, recv, close, write, sigaction,
 * pthread_sigmask, raise, pause, _exit, and lock-free atomics; and
 * pthread_self, which POSIX does not list but glibc answers from the
 * thread pointer, without a lock. A child
 * process a handler forked reports nothing when it crashes: the invocation
 * is the parent's. When two threads crash, the first reports and the
 * second waits for it to end the process (dying at once would cut the
 * report short).
 *
 * Why not the loop's own connections (rtapi_http.c): a crash inside the
 * client leaves it in a state unknown, and a fresh one needs nothing of
 * it. Why not a supervising parent process: it would double the
 * processes, add a fork to every cold start and need shared memory for the
 * request ids; a signal handler costs nothing until it runs. What it
 * cannot catch: SIGKILL (an out-of-memory kill, Lambda's own timeout), and
 * a stack overflow on a thread that is no poller (each poller has an
 * alternate signal stack, ctli_crash_thread_start; other threads have
 * none); those end as Lambda's Runtime.ExitError. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lambda/crash.h"
#include "lambda/rtapi_http.h"

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

static struct sockaddr_storage api_addr;
static socklen_t api_addr_len;
static int api_family;

/* What every report shares: the request's headers after its request line
 * (up to the error type's value), and the function's controller. Written
 * by init, before any handler can run. */
static char req_common[512];
static char controller_name[256];

/* A poller's slot. IDLE -> ARMED (its poller, before a handler runs; the
 * request line and id written while IDLE) -> IDLE (after the answer), or
 * ARMED -> TAKEN (the reporting thread; for good). Lock-free atomics, so
 * that the signal handler may use them; exchanged, not tested and set, so
 * that a report and a disarm never both win. */
enum { IDLE, ARMED, TAKEN };
typedef struct crash_slot {
    atomic_int state;
    pthread_t thread;           /* the poller's thread; written while IDLE */
    char req_line[640];         /* "POST /2018-06-01/runtime/invocation/{id}/error HTTP/1.1\r\n" */
    char id[CTLI_RTAPI_ID_PATH_MAX + 1]; /* the request id, URL-escaped: also JSON-safe */
} crash_slot;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the crash handler needs a lock-free atomic int");

static crash_slot *slots;
static int nslots;
static int *taken;              /* the report's slots */
static struct pollfd *waits;    /* their connections */

/* Set by the first crashing thread of the process that called init (a
 * forked child inherits the handler, but its crash is not an
 * invocation's). */
static atomic_int reporting;
static atomic_int owner_pid; /* a pid_t; atomic, as the handler reads it */

/* The request and the log line being assembled; built in the handler, so
 * static, not on a stack that may be the one that overflowed. One report
 * at a time (reporting). */
static char out[4096];
static char body[2048];
static char line[1024];

/* Appends s to buf (cap bytes) at at, cut at the end; returns the new end. */
static size_t put(char *buf, size_t cap, size_t at, const char *s)
{
    size_t n = strlen(s);
    if (at + n > cap)
        n = cap - at;
    memcpy(buf + at, s, n);
    return at + n;
}

/* The decimal digits of v. */
static size_t put_num(char *buf, size_t cap, size_t at, size_t v)
{
    char digits[24];
    size_t nd = 0;
    do {
        digits[sizeof digits - 1 - nd++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && nd < sizeof digits);
    if (at + nd > cap)
        return at;
    memcpy(buf + at, digits + sizeof digits - nd, nd);
    return at + nd;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV (segmentation fault)";
    case SIGBUS: return "SIGBUS (bus error)";
    case SIGFPE: return "SIGFPE (arithmetic exception)";
    case SIGILL: return "SIGILL (illegal instruction)";
    case SIGABRT: return "SIGABRT (aborted)";
    default: return "a fatal signal";
    }
}

/* The error object for slot k's invocation into body: the crash itself
 * (crashed == k), or the end of the process under it (crashed, or -1 when
 * no invocation is known to have crashed). Returns its errorType. */
static const char *make_body(int k, int crashed, const char *name, size_t *len)
{
    size_t at = put(body, sizeof body, 0, "{\"errorMessage\":\"");
    const char *type;
    if (k == crashed) {
        type = "ctl.HandlerCrashed";
        at = put(body, sizeof body, at, "controller ");
        at = put(body, sizeof body, at, controller_name);
        at = put(body, sizeof body, at, " crashed with signal ");
        at = put(body, sizeof body, at, name);
    } else {
        type = "Runtime.ExitError";
        at = put(body, sizeof body, at, "the process ended while this invocation ran: ");
        if (crashed >= 0) {
            at = put(body, sizeof body, at, "invocation ");
            at = put(body, sizeof body, at, slots[crashed].id);
            at = put(body, sizeof body, at, " of controller ");
            at = put(body, sizeof body, at, controller_name);
            at = put(body, sizeof body, at, " crashed with signal ");
        } else {
            at = put(body, sizeof body, at, "a thread of controller ");
            at = put(body, sizeof body, at, controller_name);
            at = put(body, sizeof body, at, " outside the invocations' handlers crashed with signal ");
        }
        at = put(body, sizeof body, at, name);
    }
    at = put(body, sizeof body, at, "\",\"errorType\":\"");
    at = put(body, sizeof body, at, type);
    at = put(body, sizeof body, at, "\",\"stackTrace\":[]}");
    *len = at;
    return type;
}

/* Opens a connection and writes slot k's error POST; the connection, or
 * -1. */
static int post_error(int k, int crashed, const char *name)
{
    size_t body_len;
    const char *type = make_body(k, crashed, name, &body_len);
    size_t at = put(out, sizeof out, 0, slots[k].req_line);
    at = put(out, sizeof out, at, req_common);
    at = put(out, sizeof out, at, type);
    at = put(out, sizeof out, at, "\r\nContent-Length: ");
    at = put_num(out, sizeof out, at, body_len);
    at = put(out, sizeof out, at, "\r\n\r\n");
    if (at + body_len > sizeof out)
        body_len = sizeof out - at;
    memcpy(out + at, body, body_len);
    at += body_len;

    int fd = socket(api_family, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    size_t sent = 0;
    if (connect(fd, (const struct sockaddr *)&api_addr, api_addr_len) == 0) {
        while (sent < at) {
            ssize_t n = send(fd, out + sent, at - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            sent += (size_t)n;
        }
    }
    if (sent < at) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Says on stderr (Lambda's log) which invocation crashed. */
static void log_crash(int crashed, int ntaken, const char *name)
{
    size_t at = put(line, sizeof line, 0, "ctl: ");
    if (crashed >= 0) {
        at = put(line, sizeof line, at, "invocation ");
        at = put(line, sizeof line, at, slots[crashed].id);
    } else {
        at = put(line, sizeof line, at, "a thread outside the invocations' handlers");
    }
    at = put(line, sizeof line, at, " of controller ");
    at = put(line, sizeof line, at, controller_name);
    at = put(line, sizeof line, at, " crashed with signal ");
    at = put(line, sizeof line, at, name);
    int others = ntaken - (crashed >= 0);
    if (others > 0) {
        at = put(line, sizeof line, at, "; Runtime.ExitError posted for the ");
        at = put_num(line, sizeof line, at, (size_t)others);
        at = put(line, sizeof line, at, others == 1 ? " other invocation in flight" : " other invocations in flight");
    }
    at = put(line, sizeof line, at, "\n");
    ssize_t w = write(STDERR_FILENO, line, at);
    (void)w;
}

static void report(int sig)
{
    const char *name = signal_name(sig);
    pthread_t me = pthread_self();
    int ntaken = 0, crashed = -1;
    for (int k = 0; k < nslots; k++) {
        int expected = ARMED;
        if (atomic_compare_exchange_strong(&slots[k].state, &expected, TAKEN))
            taken[ntaken++] = k;
    }
    for (int i = 0; i < ntaken; i++)
        if (pthread_equal(slots[taken[i]].thread, me))
            crashed = taken[i];
    /* Another thread (an in-process event's worker, one a handler
     * started): with one invocation in flight, it is that invocation's. */
    if (crashed < 0 && ntaken == 1)
        crashed = taken[0];
    if (ntaken == 0)
        return;
    log_crash(crashed, ntaken, name);
    for (int i = 0; i < ntaken; i++) {
        waits[i].fd = post_error(taken[i], crashed, name);
        waits[i].events = POLLIN;
        waits[i].revents = 0;
    }
    /* Wait (a little) for the status lines, so the errors are recorded
     * before the process is gone: 2 s in all. */
    char reply[256];
    for (int rounds = 0; rounds < 20; rounds++) {
        int open = 0;
        for (int i = 0; i < ntaken; i++)
            open += waits[i].fd >= 0;
        if (open == 0 || poll(waits, (nfds_t)ntaken, 100) < 0)
            break;
        for (int i = 0; i < ntaken; i++)
            if (waits[i].fd >= 0 && waits[i].revents) {
                (void)recv(waits[i].fd, reply, sizeof reply, 0);
                close(waits[i].fd);
                waits[i].fd = -1; /* poll skips it */
            }
    }
    for (int i = 0; i < ntaken; i++)
        if (waits[i].fd >= 0)
            close(waits[i].fd);
}

static void on_crash(int sig)
{
    int saved = errno;
    if (getpid() == (pid_t)atomic_load(&owner_pid)) {
        if (atomic_exchange(&reporting, 1) == 0)
            report(sig);
        else
            /* Another thread is reporting: dying now would cut its report
             * short. Wait (every signal is blocked here) for it to end
             * the process. A crash inside this handler on the reporting
             * thread itself does not come here: its signal is blocked, so
             * the kernel kills the process. */
            for (;;)
                pause();
    }
    /* Die of the same signal with its default action. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    errno = saved;
    _exit(128 + sig);
}

int ctli_crash_init(const char *api, const char *controller, int pollers)
{
    /* The first of the addresses of the loop's client (rtapi_http.c). */
    ctli_rtapi_addrs addrs;
    char why[320];
    if (pollers < 1 || ctli_rtapi_resolve(api, &addrs, why, sizeof why) != 0)
        return -1;
    api_addr = addrs.a[0].sa;
    api_addr_len = addrs.a[0].len;
    api_family = api_addr.ss_family;
    int n1 = snprintf(req_common, sizeof req_common,
                      "Host: %s\r\n"
                      "Content-Type: application/json\r\n"
                      "Connection: close\r\n"
                      "Lambda-Runtime-Function-Error-Type: ", api);
    /* Controller names are identifiers, so they need no JSON escaping. */
    int n2 = snprintf(controller_name, sizeof controller_name, "%s", controller);
    if (n1 < 0 || (size_t)n1 >= sizeof req_common || n2 < 0 || (size_t)n2 >= sizeof controller_name)
        return -1;
    slots = calloc((size_t)pollers, sizeof *slots);
    taken = calloc((size_t)pollers, sizeof *taken);
    waits = calloc((size_t)pollers, sizeof *waits);
    if (!slots || !taken || !waits) {
        ctli_crash_end();
        return -1;
    }
    for (int k = 0; k < pollers; k++)
        atomic_init(&slots[k].state, IDLE);
    nslots = pollers;
    atomic_store(&owner_pid, (int)getpid());

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_ONSTACK;
    sigfillset(&sa.sa_mask); /* nothing else interrupts the report */
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
        if (sigaction(crash_signals[i], &sa, NULL) != 0)
            return -1;
    return 0;
}

void ctli_crash_end(void)
{
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
        sigaction(crash_signals[i], &dfl, NULL);
    nslots = 0;
    free(slots);
    free(taken);
    free(waits);
    slots = NULL;
    taken = NULL;
    waits = NULL;
}

/* The size of a poller's alternate signal stack: room for the handler's
 * frames whatever SIGSTKSZ says. */
enum { ALT_STACK_SIZE = 64 * 1024 };

void *ctli_crash_thread_start(void)
{
    void *sp = malloc(ALT_STACK_SIZE);
    if (!sp)
        return NULL;
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = sp;
    ss.ss_size = ALT_STACK_SIZE;
    if (sigaltstack(&ss, NULL) != 0) {
        free(sp);
        return NULL;
    }
    return sp;
}

void ctli_crash_thread_end(void *stack)
{
    if (!stack)
        return;
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    free(stack);
}

int ctli_crash_arm(int slot, const char *request_id_escaped)
{
    if (!slots || slot < 0 || slot >= nslots || atomic_load(&reporting))
        return -1; /* no slot, or a thread is reporting a crash: the process is ending */
    crash_slot *s = &slots[slot];
    if (atomic_load(&s->state) != IDLE)
        return -1;
    int n1 = snprintf(s->req_line, sizeof s->req_line, "POST /2018-06-01/runtime/invocation/%s/error HTTP/1.1\r\n",
                      request_id_escaped);
    int n2 = snprintf(s->id, sizeof s->id, "%s", request_id_escaped);
    if (n1 < 0 || (size_t)n1 >= sizeof s->req_line || n2 < 0 || (size_t)n2 >= sizeof s->id)
        return -1;
    s->thread = pthread_self();
    int expected = IDLE;
    return atomic_compare_exchange_strong(&s->state, &expected, ARMED) ? 0 : -1;
}

/* ARMED -> IDLE only: a report under way keeps its slots. */
void ctli_crash_disarm(int slot)
{
    if (!slots || slot < 0 || slot >= nslots)
        return;
    int expected = ARMED;
    atomic_compare_exchange_strong(&slots[slot].state, &expected, IDLE);
}
