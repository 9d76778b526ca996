/* rtapi_controller.c: the handlers of rtapi.ctl, a controller binary for the
 * Lambda runtime loop tests (tests/runtime_api/test_loop.py). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "rtapi.ctl.h"

static void sleep_ms(long long ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

int rt_rt_main_echo(ctl_ctx *ctx, const rt_rt_main_echo_args *args, rt_rt_main_echo_result *result)
{
    (void)ctx;
    result->text = args->text;
    return 0;
}

int rt_rt_main_fail(ctl_ctx *ctx, const rt_rt_main_fail_args *args)
{
    return ctl_fail(ctx, args->error_type, "%s", args->message);
}

int rt_rt_main_ctxinfo(ctl_ctx *ctx, const rt_rt_main_ctxinfo_args *args, rt_rt_main_ctxinfo_result *result)
{
    (void)args;
    result->request_id = ctl_ctx_request_id(ctx);
    result->deadline_ms = ctl_ctx_deadline_ms(ctx);
    int64_t left = ctl_ctx_remaining_ms(ctx);
    /* With a deadline: what is left is at most deadline - now; without: no limit. */
    result->remaining_ok = result->deadline_ms ? left >= 0 && left < INT64_MAX : left == INT64_MAX;
    result->remaining_ms = left;
    /* Optional strings: NULL when absent. */
    result->arn = ctl_ctx_function_arn(ctx);
    result->trace = ctl_ctx_trace_id(ctx);
    const char *env = getenv("_X_AMZN_TRACE_ID");
    result->env_trace = env ? ctl_strdup(ctx, env) : NULL;
    result->client_context = ctl_ctx_client_context(ctx);
    result->cognito = ctl_ctx_cognito_identity(ctx);
    return 0;
}

int rt_rt_main_once(ctl_ctx *ctx, const rt_rt_main_once_args *args, rt_rt_main_once_result *result)
{
    const char *log = getenv("RT_IDEM_LOG");
    int fd = log ? open(log, O_WRONLY | O_APPEND | O_CREAT, 0600) : -1;
    if (fd < 0)
        return ctl_fail(ctx, "rt.NoLog", "RT_IDEM_LOG names no file that can be written");
    char line[32];
    int n = snprintf(line, sizeof line, "%lld\n", (long long)args->k);
    ssize_t w = write(fd, line, (size_t)n);
    close(fd);
    if (w != n)
        return ctl_fail(ctx, "rt.NoLog", "cannot append to RT_IDEM_LOG");
    sleep_ms(2); /* long enough for another process's duplicate to meet the claim */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char run[96];
    snprintf(run, sizeof run, "pid %ld at %lld.%09ld \"caf\xc3\xa9\"", (long)getpid(), (long long)now.tv_sec,
             now.tv_nsec);
    result->k = args->k;
    result->run = ctl_strdup(ctx, run);
    return 0;
}

int rt_rt_main_big(ctl_ctx *ctx, const rt_rt_main_big_args *args, rt_rt_main_big_result *result)
{
    if (args->size < 0 || args->size > 64 * 1024 * 1024)
        return ctl_fail(ctx, "rt.BadSize", "size %lld", (long long)args->size);
    char *s = ctl_alloc(ctx, (size_t)args->size + 1);
    if (!s)
        return -1;
    memset(s, 'x', (size_t)args->size);
    s[args->size] = '\0';
    result->data = s;
    return 0;
}

/* Recursion that cannot become a loop: each frame keeps a page alive and
 * uses it after the call returns. */
static int deep(volatile char *up, long n, long limit)
{
    volatile char page[4096];
    page[0] = (char)n;
    page[1] = up ? up[0] : 0;
    if (n >= limit)
        return page[1];
    return deep(page, n + 1, limit) + page[1];
}

int rt_rt_main_crash(ctl_ctx *ctx, const rt_rt_main_crash_args *args)
{
    if (args->signal == -1) {
        /* A stack overflow: the crash report must run on another stack. */
        (void)deep(NULL, 0, 1L << 40);
    } else if (args->signal == 0) {
        /* A genuine fault, delivered synchronously like a bad pointer's. */
        long page = sysconf(_SC_PAGESIZE);
        int fd = open("/dev/zero", O_RDONLY);
        volatile char *p = fd < 0 ? MAP_FAILED : mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED)
            p[0] = 1;
        if (fd >= 0)
            close(fd);
    } else {
        raise((int)args->signal);
    }
    return ctl_fail(ctx, "rt.NoCrash", "signal %lld did not kill the process", (long long)args->signal);
}

int rt_rt_main_broken_pipe(ctl_ctx *ctx, const rt_rt_main_broken_pipe_args *args,
                           rt_rt_main_broken_pipe_result *result)
{
    (void)args;
    int fd[2];
    if (pipe(fd) != 0)
        return ctl_fail(ctx, "rt.Pipe", "cannot make a pipe");
    close(fd[0]);
    ssize_t n = write(fd[1], "x", 1);
    int err = errno;
    close(fd[1]);
    result->epipe = n < 0 && err == EPIPE;
    return 0;
}

int rt_rt_main_child_crash(ctl_ctx *ctx, const rt_rt_main_child_crash_args *args,
                           rt_rt_main_child_crash_result *result)
{
    (void)args;
    pid_t pid = fork();
    if (pid < 0)
        return ctl_fail(ctx, "rt.Fork", "cannot fork");
    if (pid == 0) {
        raise(SIGSEGV);
        _exit(0);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return ctl_fail(ctx, "rt.Wait", "waitpid failed");
    result->child_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    return 0;
}

static void *abort_later(void *arg)
{
    sleep_ms(*(const long *)arg);
    raise(SIGABRT); /* this thread's own signal */
    return NULL;
}

int rt_rt_main_crash_two(ctl_ctx *ctx, const rt_rt_main_crash_two_args *args)
{
    static long delay;
    delay = (long)args->delay_ms;
    pthread_t t;
    if (pthread_create(&t, NULL, abort_later, &delay) != 0)
        return ctl_fail(ctx, "rt.Thread", "cannot start a thread");
    raise(SIGSEGV);
    return ctl_fail(ctx, "rt.NoCrash", "SIGSEGV did not kill the process");
}

int rt_rt_main_kick(ctl_ctx *ctx, const rt_rt_main_kick_args *args, rt_rt_main_kick_result *result)
{
    rt_rt_side_ping_args ping = { .url = args->url, .delay_ms = args->delay_ms };
    if (rt_rt_side_ping_send(ctl_ctx_client(ctx), &ping) != 0)
        return ctl_fail(ctx, "rt.SendFailed", "%s", ctl_client_error(ctl_ctx_client(ctx)));
    result->sent = true;
    return 0;
}

int rt_rt_main_kick_remote(ctl_ctx *ctx, const rt_rt_main_kick_remote_args *args,
                           rt_rt_main_kick_remote_result *result)
{
    rt_rt_remote_work_args work = { .n = args->n };
    if (rt_rt_remote_work_send(ctl_ctx_client(ctx), &work) != 0)
        return ctl_fail(ctx, "rt.SendFailed", "%s", ctl_client_error(ctl_ctx_client(ctx)));
    result->sent = true;
    return 0;
}

int rt_rt_main_kick_chain(ctl_ctx *ctx, const rt_rt_main_kick_chain_args *args,
                          rt_rt_main_kick_chain_result *result)
{
    rt_rt_side_relay_args relay = { .n = args->n, .delay_ms = args->delay_ms };
    if (rt_rt_side_relay_send(ctl_ctx_client(ctx), &relay) != 0)
        return ctl_fail(ctx, "rt.SendFailed", "%s", ctl_client_error(ctl_ctx_client(ctx)));
    result->sent = true;
    return 0;
}

int rt_rt_side_relay(ctl_ctx *ctx, const rt_rt_side_relay_args *args)
{
    sleep_ms(args->delay_ms);
    rt_rt_remote_work_args work = { .n = args->n };
    if (rt_rt_remote_work_send(ctl_ctx_client(ctx), &work) != 0)
        return ctl_fail(ctx, "rt.SendFailed", "%s", ctl_client_error(ctl_ctx_client(ctx)));
    return 0;
}

/* A request to url with libcurl: a POST of body, or a GET when body is
 * NULL. 0, or -1 with the reason in the ctx. */
static int fetch(ctl_ctx *ctx, const char *url, const char *body)
{
    CURL *c = curl_easy_init();
    if (!c)
        return ctl_fail(ctx, "rt.Curl", "no curl handle");
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? 0 : ctl_fail(ctx, "rt.Fetch", "%s: %s", url, curl_easy_strerror(rc));
}

int rt_rt_main_hold(ctl_ctx *ctx, const rt_rt_main_hold_args *args, rt_rt_main_hold_result *result)
{
    if (*args->url && fetch(ctx, args->url, ctl_ctx_request_id(ctx)) != 0)
        return -1;
    sleep_ms(args->ms);
    /* Read after the sleep: other invocations ran meanwhile. */
    result->request_id = ctl_ctx_request_id(ctx);
    result->deadline_ms = ctl_ctx_deadline_ms(ctx);
    result->remaining_ms = ctl_ctx_remaining_ms(ctx);
    result->trace = ctl_ctx_trace_id(ctx);
    const char *env = getenv("_X_AMZN_TRACE_ID");
    result->env_trace = env ? ctl_strdup(ctx, env) : NULL;
    result->client_context = ctl_ctx_client_context(ctx);
    return 0;
}

int rt_rt_main_crash_after(ctl_ctx *ctx, const rt_rt_main_crash_after_args *args)
{
    if (fetch(ctx, args->url, NULL) != 0)
        return -1;
    raise(SIGSEGV); /* this thread's: the poller's */
    return ctl_fail(ctx, "rt.NoCrash", "SIGSEGV did not kill the process");
}

int rt_rt_side_ping(ctl_ctx *ctx, const rt_rt_side_ping_args *args)
{
    sleep_ms(args->delay_ms);
    CURL *c = curl_easy_init();
    if (!c)
        return ctl_fail(ctx, "rt.Curl", "no curl handle");
    curl_easy_setopt(c, CURLOPT_URL, args->url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, ctl_ctx_request_id(ctx));
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? 0 : ctl_fail(ctx, "rt.Ping", "%s", curl_easy_strerror(rc));
}

int main(int argc, char **argv)
{
    return ctl_main(argc, argv, &rt_rt_main_controller, &rt_rt_side_controller, NULL);
}
