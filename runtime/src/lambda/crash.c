/* lambda/crash.c: a handler that crashes still answers its invocation.
 *
 * Without this, a SIGSEGV inside a handler kills the runtime and Lambda
 * reports only "Runtime exited" (or, worse, the caller of a synchronous
 * invoke learns nothing useful). Design: while a request is in flight, the
 * loop keeps a ready-made `POST .../invocation/{id}/error` request in static
 * memory and the Runtime API's address resolved. The signal handler
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) fills in the signal's name,
 * opens a fresh connection, writes the request, waits briefly for the
 * answer, then dies of the same signal with the default action (so the exit
 * status and any core dump tell the truth and Lambda recycles the
 * environment). Only async-signal-safe calls are used there: memcpy,
 * strlen, getpid, socket, connect, send, poll, recv, close, sigaction,
 * pthread_sigmask, raise, pause, _exit, and a lock-free atomic. A child
 * process a handler forked reports nothing when it crashes: the invocation
 * is the parent's. When two
 * threads crash, the first reports and the second waits for it to end the
 * process (dying at once would cut the report short).
 *
 * Why not the loop's own connection (rtapi_http.c): a crash inside the
 * client leaves it in a state unknown, and a fresh one needs nothing of
 * it. Why not a
 * supervising parent process: it would double the processes, add a fork to
 * every cold start and need shared memory for the request id; a signal
 * handler costs nothing until it runs. What it cannot catch: SIGKILL (an
 * out-of-memory kill, Lambda's own timeout), and a stack overflow on a
 * thread other than the loop's (only the loop's thread has an alternate
 * signal stack); those end as Lambda's Runtime.ExitError. */
#include <errno.h>
#include <netdb.h>
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

/* The request without its Content-Length value and body, and the body
 * around the signal's name. Written by the loop's thread before and after
 * each invocation (never while armed), read by the signal handler. */
static char req_head[1024];
static char body_head[512], body_tail[512];

/* IDLE -> ARMED (the loop, before a handler runs) -> IDLE (after its
 * answer), or ARMED -> REPORTING (the first crashing thread; for good). A
 * lock-free atomic, so that the signal handler may use it, and exchanged,
 * not tested and set, so that of two threads crashing at once only one
 * reports. */
enum { IDLE, ARMED, REPORTING };
static atomic_int state = IDLE;
/* The process that armed: a child a handler forked inherits the handler
 * and the armed state, but its crash is not the invocation's. */
static atomic_int armed_pid; /* a pid_t; atomic, as the handler reads it */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the crash handler needs a lock-free atomic int");

/* The assembled request; built in the handler, so static, not on a stack
 * that may be the one that overflowed. */
static char out[2048 + 64];

static char alt_stack[64 * 1024];

static size_t put(size_t at, const char *s)
{
    size_t n = strlen(s);
    if (at + n > sizeof out)
        n = sizeof out - at;
    memcpy(out + at, s, n);
    return at + n;
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

static void post_error(int sig)
{
    const char *name = signal_name(sig);
    size_t body_len = strlen(body_head) + strlen(name) + strlen(body_tail);
    char digits[24];
    size_t nd = 0;
    do {
        digits[sizeof digits - 1 - nd++] = (char)('0' + body_len % 10);
        body_len /= 10;
    } while (body_len && nd < sizeof digits - 1);
    size_t at = put(0, req_head);
    if (at + nd <= sizeof out) {
        memcpy(out + at, digits + sizeof digits - nd, nd);
        at += nd;
    }
    at = put(at, "\r\n\r\n");
    at = put(at, body_head);
    at = put(at, name);
    at = put(at, body_tail);

    int fd = socket(api_family, SOCK_STREAM, 0);
    if (fd < 0)
        return;
    if (connect(fd, (const struct sockaddr *)&api_addr, api_addr_len) == 0) {
        size_t sent = 0;
        while (sent < at) {
            ssize_t n = send(fd, out + sent, at - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            sent += (size_t)n;
        }
        /* Wait (a little) for the status line, so the error is recorded
         * before the process is gone. */
        struct pollfd p = { .fd = fd, .events = POLLIN };
        char reply[256];
        if (sent == at && poll(&p, 1, 2000) > 0)
            (void)recv(fd, reply, sizeof reply, 0);
    }
    close(fd);
}

static void on_crash(int sig)
{
    int saved = errno;
    int was = getpid() == (pid_t)atomic_load(&armed_pid) ? atomic_exchange(&state, REPORTING) : IDLE;
    if (was == ARMED)
        post_error(sig);
    else if (was == REPORTING)
        /* Another thread is reporting: dying now would cut its report
         * short. Wait (every signal is blocked here) for it to end the
         * process. A crash inside this handler on the reporting thread
         * itself does not come here: its signal is blocked, so the kernel
         * kills the process. */
        for (;;)
            pause();
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

int ctli_crash_init(const char *api)
{
    /* The first of the addresses of the loop's client (rtapi_http.c). */
    struct addrinfo *res;
    char why[320];
    if (ctli_rtapi_resolve(api, &res, why, sizeof why) != 0)
        return -1;
    memcpy(&api_addr, res->ai_addr, res->ai_addrlen);
    api_addr_len = res->ai_addrlen;
    api_family = res->ai_family;
    freeaddrinfo(res);

    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    if (sigaltstack(&ss, NULL) != 0)
        return -1;
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

int ctli_crash_arm(const char *api, const char *request_id_escaped, const char *controller)
{
    int expected = ARMED;
    atomic_compare_exchange_strong(&state, &expected, IDLE);
    if (expected == REPORTING)
        return -1; /* a thread is reporting a crash: the process is ending */
    int n1 = snprintf(req_head, sizeof req_head,
                      "POST /2018-06-01/runtime/invocation/%s/error HTTP/1.1\r\n"
                      "Host: %s\r\n"
                      "Content-Type: application/json\r\n"
                      "Lambda-Runtime-Function-Error-Type: ctl.HandlerCrashed\r\n"
                      "Connection: close\r\n"
                      "Content-Length: ",
                      request_id_escaped, api);
    /* Controller names are identifiers, so they need no JSON escaping. */
    int n2 = snprintf(body_head, sizeof body_head,
                      "{\"errorMessage\":\"controller %s crashed with signal ", controller);
    int n3 = snprintf(body_tail, sizeof body_tail,
                      "\",\"errorType\":\"ctl.HandlerCrashed\",\"stackTrace\":[]}");
    if (n1 < 0 || (size_t)n1 >= sizeof req_head || n2 < 0 || (size_t)n2 >= sizeof body_head || n3 < 0 ||
        (size_t)n3 >= sizeof body_tail)
        return -1;
    atomic_store(&armed_pid, (int)getpid());
    expected = IDLE;
    return atomic_compare_exchange_strong(&state, &expected, ARMED) ? 0 : -1;
}

/* ARMED -> IDLE only: a report under way stays under way. */
void ctli_crash_disarm(void)
{
    int expected = ARMED;
    atomic_compare_exchange_strong(&state, &expected, IDLE);
}
