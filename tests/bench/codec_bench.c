/* codec_bench.c: ctl's generated readers, writers, dispatch and _send next to
 * quicktype's C (cJSON) output, bare cJSON, simdjson (DOM, and On-Demand
 * into the same structs: peers_bench.cpp), jansson and json-c, on the same
 * event bytes, in one process; and the calls to malloc per event (an
 * interposed malloc). Built and run by codec_bench.sh, which generates the C of
 * specs/leedz.ctl, codec_bench.ctl, a 1,000-function spec (wide.ctl) and
 * quicktype's qt.h/qt.c from codec_bench.schema.json. A benchmark: it prints
 * figures and asserts nothing (a failed sanity check is printed as a
 * warning).
 *
 *   codec_bench SMALL.json LARGE.json BATCH.json            every section
 *   codec_bench SMALL.json LARGE.json BATCH.json --ir OP N  run OP N times between
 *       CALLGRIND_START/STOP_INSTRUMENTATION (for valgrind --tool=callgrind
 *       --instr-atstart=no); prints nothing
 *   codec_bench SMALL.json LARGE.json BATCH.json --rss N  dispatch N events
 *       (of a hundred: 89 small, 10 large, 1 of 64 KB) and print RSS at the
 *       start and after each tenth of them (codec_bench.sh BENCH_RSS=N)
 *   codec_bench --ops                            the names of the OPs
 *
 * Method: each contender is one op function. After about 20 ms of warm-up
 * calls (which also estimate its cost), it gets REPS repetitions of as many
 * calls as last about REP_US microseconds (and at least ITERS calls in all);
 * a repetition reads clock_gettime(CLOCK_MONOTONIC) before and after and
 * divides. Repetitions of the contenders of a section are interleaved (rep
 * 1 of A, B, C, rep 2 of B, C, A ...), so that load from other processes
 * falls on all of them alike; short repetitions let the median step over
 * those that were preempted. The figure is the median over the
 * repetitions, with min and max beside it. Each repetition also reads the
 * thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which leaves out time spent
 * descheduled; ratios are printed from both medians. Environment:
 * BENCH_REPS (51), BENCH_REP_US (4000), BENCH_SMALL_ITERS (200000, the
 * small event and the dispatch-table section), BENCH_LARGE_ITERS (10000),
 * BENCH_SEND_BATCHES (100), BENCH_SEND_BATCH (1000), BENCH_RSS_EVENTS
 * (1000000: small events dispatched between two readings of RSS, and a
 * hundredth of that of 64 KB ones). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "codec_bench.ctl.h"
#include "leedz.ctl.h"
#include "peers_bench.h"
#include "qt.h"
#include "wide.ctl.h"

#include "ctl/gen.h"

/* libctl's private header, for the breakdown rows only (the JSON reader and
 * the typed readers without ctl_dispatch around them need a ctl_ctx): so
 * the bench links libctl_internal.a. */
#include "codec/ctx.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

#define NOINLINE __attribute__((noinline))

/* ---- handlers: all of them do nothing ------------------------------------------ */

int leedz_async_email_helper_notifyUsers(ctl_ctx *ctx, const leedz_async_email_helper_notifyUsers_args *args)
{
    (void)ctx, (void)args;
    return 0;
}
int leedz_async_email_helper_sendReceipt(ctl_ctx *ctx, const leedz_async_email_helper_sendReceipt_args *args)
{
    (void)ctx, (void)args;
    return 0;
}
int leedz_async_email_helper_notifySeller(ctl_ctx *ctx, const leedz_async_email_helper_notifySeller_args *args)
{
    (void)ctx, (void)args;
    return 0;
}
int leedz_async_email_helper_notifyTradeList(ctl_ctx *ctx, const leedz_async_email_helper_notifyTradeList_args *args)
{
    (void)ctx, (void)args;
    return 0;
}
int bench_orders_placeOrder(ctl_ctx *ctx, const bench_orders_placeOrder_args *args)
{
    (void)ctx, (void)args;
    return 0;
}
int bench_orders_importBatch(ctl_ctx *ctx, const bench_orders_importBatch_args *args)
{
    (void)ctx, (void)args;
    return 0;
}
/* wide.ctl's handlers are in wide_handlers.c, generated with the spec. */

/* ---- clock and statistics --------------------------------------------------------- */

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long env_long(const char *name, long dflt)
{
    const char *s = getenv(name);
    long v = s && *s ? strtol(s, NULL, 10) : 0;
    return v > 0 ? v : dflt;
}

static int warnings;
#define WARN(...) (warnings++, printf("  WARNING: " __VA_ARGS__), putchar('\n'))

/* ---- the payloads and the values written -------------------------------------------- */

typedef struct payload {
    const char *name;
    char *text; /* NUL-terminated */
    size_t len;
    const ctl_controller *controller; /* dispatches it */
} payload;

static payload small_ev, large_ev, batch_ev;

/* ctl values, read once from the events into a ctx that is never reset. */
static ctl_ctx value_ctx;
static bench_NotifyEvent ctl_small_value;
static bench_OrderEvent ctl_large_value;
static bench_BatchEvent ctl_batch_value;
/* quicktype values, made by its own parse functions. */
static struct NotifyEvent *qt_small_value;
static struct OrderEvent *qt_large_value;
/* cJSON trees of the events (for cJSON's printer alone). */
static cJSON *cj_small_tree, *cj_large_tree;

/* A ctx for the breakdown rows, reset after each op. */
static ctl_ctx scratch_ctx;
static ctl_buf reused_buf = CTL_BUF_INIT;

static volatile uintptr_t sink; /* keeps results alive */

/* ---- ops ------------------------------------------------------------------------------- */

static NOINLINE void dispatch_event(const ctl_controller *c, const payload *p)
{
    ctl_response resp;
    ctl_status st = ctl_dispatch(c, p->text, p->len, NULL, &resp);
    sink += (uintptr_t)st + resp.len;
    ctl_response_free(&resp);
}

static NOINLINE void op_ctl_dispatch_small(void) { dispatch_event(small_ev.controller, &small_ev); }
static NOINLINE void op_ctl_dispatch_large(void) { dispatch_event(large_ev.controller, &large_ev); }

static NOINLINE void op_qt_parse_small(void)
{
    struct NotifyEvent *x = cJSON_ParseNotifyEvent(small_ev.text);
    sink += (uintptr_t)x;
    cJSON_DeleteNotifyEvent(x);
}

static NOINLINE void op_qt_parse_large(void)
{
    struct OrderEvent *x = cJSON_ParseOrderEvent(large_ev.text);
    sink += (uintptr_t)x;
    cJSON_DeleteOrderEvent(x);
}

static NOINLINE void cjson_parse(const payload *p)
{
    cJSON *j = cJSON_Parse(p->text);
    sink += (uintptr_t)j;
    cJSON_Delete(j);
}

static NOINLINE void op_cjson_parse_small(void) { cjson_parse(&small_ev); }
static NOINLINE void op_cjson_parse_large(void) { cjson_parse(&large_ev); }

/* Breakdown: ctl's JSON reader alone (into the arena, reset each time). */
static NOINLINE void ctl_parse(const payload *p)
{
    ctl_json_error err;
    sink += (uintptr_t)ctl_json_parse(&scratch_ctx.arena, p->text, p->len, &err);
    ctli_ctx_reset(&scratch_ctx);
}

static NOINLINE void op_ctl_parse_small(void) { ctl_parse(&small_ev); }
static NOINLINE void op_ctl_parse_large(void) { ctl_parse(&large_ev); }

/* Breakdown: the JSON reader and the typed reader, without ctl_dispatch. */
static NOINLINE void op_ctl_read_small(void)
{
    ctl_json_error err;
    const ctl_json *root = ctl_json_parse(&scratch_ctx.arena, small_ev.text, small_ev.len, &err);
    bench_NotifyEvent v;
    memset(&v, 0, sizeof v);
    sink += (uintptr_t)bench_NotifyEvent_from_json(&scratch_ctx, root, &ctl_path_root, &v);
    ctli_ctx_reset(&scratch_ctx);
}

static NOINLINE void op_ctl_read_large(void)
{
    ctl_json_error err;
    const ctl_json *root = ctl_json_parse(&scratch_ctx.arena, large_ev.text, large_ev.len, &err);
    bench_OrderEvent v;
    memset(&v, 0, sizeof v);
    sink += (uintptr_t)bench_OrderEvent_from_json(&scratch_ctx, root, &ctl_path_root, &v);
    ctli_ctx_reset(&scratch_ctx);
}

/* Marshal: the generated writer into a new buffer, freed after, as a _send
 * stub does (malloc and realloc included). */
static NOINLINE void op_ctl_write_small(void)
{
    ctl_buf b = CTL_BUF_INIT;
    sink += (uintptr_t)bench_NotifyEvent_to_json(&scratch_ctx, &ctl_small_value, &ctl_path_root, &b) + b.len;
    ctl_buf_free(&b);
}

static NOINLINE void op_ctl_write_large(void)
{
    ctl_buf b = CTL_BUF_INIT;
    sink += (uintptr_t)bench_OrderEvent_to_json(&scratch_ctx, &ctl_large_value, &ctl_path_root, &b) + b.len;
    ctl_buf_free(&b);
}

/* Marshal into a buffer kept across calls (no allocation once warm). */
static NOINLINE void op_ctl_write_reuse_small(void)
{
    reused_buf.len = 0;
    sink += (uintptr_t)bench_NotifyEvent_to_json(&scratch_ctx, &ctl_small_value, &ctl_path_root, &reused_buf) +
            reused_buf.len;
}

static NOINLINE void op_ctl_write_reuse_large(void)
{
    reused_buf.len = 0;
    sink += (uintptr_t)bench_OrderEvent_to_json(&scratch_ctx, &ctl_large_value, &ctl_path_root, &reused_buf) +
            reused_buf.len;
}

static NOINLINE void op_qt_print_small(void)
{
    char *s = cJSON_PrintNotifyEvent(qt_small_value);
    sink += (uintptr_t)s;
    free(s);
}

static NOINLINE void op_qt_print_large(void)
{
    char *s = cJSON_PrintOrderEvent(qt_large_value);
    sink += (uintptr_t)s;
    free(s);
}

/* cJSON's printer alone, on a tree built once. */
static NOINLINE void cjson_print(const cJSON *tree)
{
    char *s = cJSON_PrintUnformatted(tree);
    sink += (uintptr_t)s;
    free(s);
}

static NOINLINE void op_cjson_print_small(void) { cjson_print(cj_small_tree); }
static NOINLINE void op_cjson_print_large(void) { cjson_print(cj_large_tree); }

/* ---- the 64 KB event, and the peers of the speed section --------------------------- */

static NOINLINE void op_ctl_dispatch_batch(void) { dispatch_event(batch_ev.controller, &batch_ev); }
static NOINLINE void op_cjson_parse_batch(void) { cjson_parse(&batch_ev); }

static NOINLINE void op_ctl_write_reuse_batch(void)
{
    reused_buf.len = 0;
    sink += (uintptr_t)bench_BatchEvent_to_json(&scratch_ctx, &ctl_batch_value, &ctl_path_root, &reused_buf) +
            reused_buf.len;
}

static NOINLINE void simdjson_dom(const payload *p) { sink += (uintptr_t)peer_simdjson_dom(p->text, p->len); }
static NOINLINE void op_simdjson_dom_small(void) { simdjson_dom(&small_ev); }
static NOINLINE void op_simdjson_dom_large(void) { simdjson_dom(&large_ev); }
static NOINLINE void op_simdjson_dom_batch(void) { simdjson_dom(&batch_ev); }

static NOINLINE void op_ondemand_small(void)
{
    bench_NotifyEvent v;
    memset(&v, 0, sizeof v);
    sink += (uintptr_t)peer_ondemand_notify(small_ev.text, small_ev.len, &v);
}

static NOINLINE void op_ondemand_large(void)
{
    bench_Order v;
    memset(&v, 0, sizeof v);
    sink += (uintptr_t)peer_ondemand_order(large_ev.text, large_ev.len, &v);
}

static NOINLINE void op_ondemand_batch(void)
{
    bench_Batch v;
    memset(&v, 0, sizeof v);
    sink += (uintptr_t)peer_ondemand_batch(batch_ev.text, batch_ev.len, &v);
}

static NOINLINE void jansson(const payload *p) { sink += (uintptr_t)peer_jansson(p->text, p->len); }
static NOINLINE void op_jansson_small(void) { jansson(&small_ev); }
static NOINLINE void op_jansson_large(void) { jansson(&large_ev); }
static NOINLINE void op_jansson_batch(void) { jansson(&batch_ev); }

static NOINLINE void jsonc(const payload *p) { sink += (uintptr_t)peer_jsonc(p->text, p->len); }
static NOINLINE void op_jsonc_small(void) { jsonc(&small_ev); }
static NOINLINE void op_jsonc_large(void) { jsonc(&large_ev); }
static NOINLINE void op_jsonc_batch(void) { jsonc(&batch_ev); }

/* Dispatch of the small event through a 1-function and a 1,000-function
 * controller (the function sits in the middle of the sorted table). */
static NOINLINE void op_dispatch_1fn(void) { dispatch_event(&wide_one_controller, &small_ev); }
static NOINLINE void op_dispatch_1000fn(void) { dispatch_event(&wide_wide_controller, &small_ev); }

static NOINLINE void op_find_1fn(void)
{
    sink += (uintptr_t)ctl_controller_find(&wide_one_controller, "notifyUsers", 11);
}

static NOINLINE void op_find_1000fn(void)
{
    sink += (uintptr_t)ctl_controller_find(&wide_wide_controller, "notifyUsers", 11);
}

typedef struct op {
    const char *name;
    void (*fn)(void);
    int size; /* 0 the small event, 1 the large, 2 the 64 KB one */
} op;

static const op ops[] = {
    { "ctl_dispatch_small", op_ctl_dispatch_small, 0 },
    { "qt_parse_small", op_qt_parse_small, 0 },
    { "cjson_parse_small", op_cjson_parse_small, 0 },
    { "ctl_parse_small", op_ctl_parse_small, 0 },
    { "ctl_read_small", op_ctl_read_small, 0 },
    { "ctl_write_small", op_ctl_write_small, 0 },
    { "ctl_write_reuse_small", op_ctl_write_reuse_small, 0 },
    { "qt_print_small", op_qt_print_small, 0 },
    { "cjson_print_small", op_cjson_print_small, 0 },
    { "ctl_dispatch_large", op_ctl_dispatch_large, 1 },
    { "qt_parse_large", op_qt_parse_large, 1 },
    { "cjson_parse_large", op_cjson_parse_large, 1 },
    { "ctl_parse_large", op_ctl_parse_large, 1 },
    { "ctl_read_large", op_ctl_read_large, 1 },
    { "ctl_write_large", op_ctl_write_large, 1 },
    { "ctl_write_reuse_large", op_ctl_write_reuse_large, 1 },
    { "qt_print_large", op_qt_print_large, 1 },
    { "cjson_print_large", op_cjson_print_large, 1 },
    { "dispatch_1fn", op_dispatch_1fn, 0 },
    { "dispatch_1000fn", op_dispatch_1000fn, 0 },
    { "find_1fn", op_find_1fn, 0 },
    { "find_1000fn", op_find_1000fn, 0 },
    { "ctl_dispatch_batch", op_ctl_dispatch_batch, 2 },
    { "cjson_parse_batch", op_cjson_parse_batch, 2 },
    { "ctl_write_reuse_batch", op_ctl_write_reuse_batch, 2 },
    { "simdjson_dom_small", op_simdjson_dom_small, 0 },
    { "simdjson_dom_large", op_simdjson_dom_large, 1 },
    { "simdjson_dom_batch", op_simdjson_dom_batch, 2 },
    { "ondemand_small", op_ondemand_small, 0 },
    { "ondemand_large", op_ondemand_large, 1 },
    { "ondemand_batch", op_ondemand_batch, 2 },
    { "jansson_small", op_jansson_small, 0 },
    { "jansson_large", op_jansson_large, 1 },
    { "jansson_batch", op_jansson_batch, 2 },
    { "jsonc_small", op_jsonc_small, 0 },
    { "jsonc_large", op_jsonc_large, 1 },
    { "jsonc_batch", op_jsonc_batch, 2 },
};
#define NOPS (sizeof ops / sizeof ops[0])

static const op *find_op(const char *name)
{
    for (size_t i = 0; i < NOPS; i++)
        if (strcmp(ops[i].name, name) == 0)
            return &ops[i];
    return NULL;
}

/* ---- timing ------------------------------------------------------------------------------ */

static int reps;

typedef struct result {
    const char *label;
    double med, min, max; /* wall-clock ns/op over the repetitions */
    double cpu;           /* median of the thread's CPU time per op */
    long calls;           /* in all repetitions */
} result;

typedef struct sample {
    double wall, cpu;
} sample;

static inline uint64_t cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static sample time_op(void (*fn)(void), long iters)
{
    uint64_t c0 = cpu_ns(), t0 = now_ns();
    for (long i = 0; i < iters; i++)
        fn();
    uint64_t t1 = now_ns(), c1 = cpu_ns();
    return (sample){ (double)(t1 - t0) / (double)iters, (double)(c1 - c0) / (double)iters };
}

static double rep_ns; /* the length of one repetition, in ns */

/* Times the ops named in names[0..n) into out. Each op is first run for
 * about 20 ms (warm-up and estimate), then gets `reps` repetitions of the
 * number of calls that lasts about rep_ns, and at least min_total calls in
 * all. Repetitions are interleaved across the ops, the order rotating. */
static void time_ops(const char *const *names, const char *const *labels, size_t n, long min_total, result *out)
{
    const op *o[32];
    long iters[32];
    double *wall = calloc(n * (size_t)reps, sizeof *wall), *cpu = calloc(n * (size_t)reps, sizeof *cpu);
    for (size_t i = 0; i < n; i++) {
        o[i] = find_op(names[i]);
        long k = 16;
        double spent = 0, est = 0;
        while (spent < 20e6) {
            sample s = time_op(o[i]->fn, k);
            spent += s.wall * (double)k;
            est = s.cpu > 0 ? s.cpu : s.wall;
            k *= 2;
        }
        iters[i] = (long)(rep_ns / est) + 1;
        long least = (min_total + reps - 1) / reps;
        if (iters[i] < least)
            iters[i] = least;
    }
    for (int r = 0; r < reps; r++) {
        for (size_t j = 0; j < n; j++) {
            size_t i = (j + (size_t)r) % n;
            sample s = time_op(o[i]->fn, iters[i]);
            wall[i * (size_t)reps + (size_t)r] = s.wall;
            cpu[i * (size_t)reps + (size_t)r] = s.cpu;
        }
    }
    for (size_t i = 0; i < n; i++) {
        double *w = wall + i * (size_t)reps;
        out[i].label = labels[i];
        out[i].med = median(w, (size_t)reps); /* sorts w */
        out[i].min = w[0];
        out[i].max = w[reps - 1];
        out[i].cpu = median(cpu + i * (size_t)reps, (size_t)reps);
        out[i].calls = iters[i] * reps;
    }
    free(wall);
    free(cpu);
}

static void print_result(const result *r)
{
    printf("  %-50s %9.1f  %9.1f .. %-9.1f %9.1f %9ld\n", r->label, r->med, r->min, r->max, r->cpu, r->calls);
}

static void print_header(void)
{
    printf("  %-50s %9s  %-21s %9s %9s\n", "ns/op", "median", "   min .. max", "cpu med", "calls");
}

/* A ratio judged on the wall-clock medians, with the CPU-time one beside. */
static void print_ratio(const char *what, double ratio, double cpu_ratio, const char *target, bool met)
{
    printf("  %-56s %6.2fx  (cpu %5.2fx)  target %s: %s\n", what, ratio, cpu_ratio, target, met ? "met" : "MISSED");
}

/* ---- sanity checks (printed, never fatal) -------------------------------------------------- */

static void check_dispatch(const ctl_controller *c, const payload *p)
{
    ctl_response resp;
    ctl_status st = ctl_dispatch(c, p->text, p->len, NULL, &resp);
    if (st != CTL_OK || !resp.body || strcmp(resp.body, "null") != 0)
        WARN("dispatch of the %s event through %s: status %d, body %s", p->name, c->name, (int)st,
             resp.body ? resp.body : "(none)");
    ctl_response_free(&resp);
}

static void check_written(const char *what, const char *text, size_t len, const payload *p)
{
    cJSON *a = cJSON_ParseWithLength(text, len), *b = cJSON_Parse(p->text);
    bool same_bytes = len == p->len && memcmp(text, p->text, len) == 0;
    if (!a || !b || !cJSON_Compare(a, b, true))
        WARN("%s of the %s event does not read back as the event", what, p->name);
    else
        printf("  check: %s of the %s event: %zu bytes, %s\n", what, p->name, len,
               same_bytes ? "byte-identical to the event" : "equal to the event as JSON (keys in another order)");
    cJSON_Delete(a);
    cJSON_Delete(b);
}

static bool read_value(const payload *p, int (*reader)(ctl_ctx *, const ctl_json *, const ctl_path *, void *),
                       void *out)
{
    ctl_json_error err;
    const ctl_json *root = ctl_json_parse(&value_ctx.arena, p->text, p->len, &err);
    if (!root || reader(&value_ctx, root, &ctl_path_root, out) != 0) {
        WARN("ctl cannot read the %s event: %s", p->name,
             value_ctx.error_message ? value_ctx.error_message : err.message ? err.message : "?");
        return false;
    }
    return true;
}

static int read_small(ctl_ctx *c, const ctl_json *v, const ctl_path *p, void *out)
{
    return bench_NotifyEvent_from_json(c, v, p, out);
}

static int read_large(ctl_ctx *c, const ctl_json *v, const ctl_path *p, void *out)
{
    return bench_OrderEvent_from_json(c, v, p, out);
}

static int read_batch(ctl_ctx *c, const ctl_json *v, const ctl_path *p, void *out)
{
    return bench_BatchEvent_from_json(c, v, p, out);
}

static bool setup(void)
{
    ctli_ctx_init(&value_ctx);
    ctli_ctx_init(&scratch_ctx);
    if (!read_value(&small_ev, read_small, &ctl_small_value) || !read_value(&large_ev, read_large, &ctl_large_value) ||
        !read_value(&batch_ev, read_batch, &ctl_batch_value))
        return false;
    qt_small_value = cJSON_ParseNotifyEvent(small_ev.text);
    qt_large_value = cJSON_ParseOrderEvent(large_ev.text);
    cj_small_tree = cJSON_Parse(small_ev.text);
    cj_large_tree = cJSON_Parse(large_ev.text);
    if (!qt_small_value || !qt_large_value || !cj_small_tree || !cj_large_tree) {
        WARN("quicktype or cJSON cannot parse the events");
        return false;
    }
    if (ctl_large_value.order.items.count != 20 || list_get_count(qt_large_value->order->items) != 20)
        WARN("the large event should have 20 line items");
    return true;
}

static void checks(void)
{
    check_dispatch(small_ev.controller, &small_ev);
    check_dispatch(large_ev.controller, &large_ev);
    check_dispatch(batch_ev.controller, &batch_ev);
    {
        bench_NotifyEvent n;
        bench_Order o;
        bench_Batch b;
        memset(&n, 0, sizeof n);
        memset(&o, 0, sizeof o);
        memset(&b, 0, sizeof b);
        const payload *all[] = { &small_ev, &large_ev, &batch_ev };
        for (int i = 0; i < 3; i++)
            if (peer_simdjson_dom(all[i]->text, all[i]->len) || peer_jansson(all[i]->text, all[i]->len) ||
                peer_jsonc(all[i]->text, all[i]->len))
                WARN("a peer (simdjson DOM, jansson, json-c) refuses the %s event", all[i]->name);
        if (peer_ondemand_notify(small_ev.text, small_ev.len, &n) || strcmp(n.id, ctl_small_value.id) != 0)
            WARN("simdjson On-Demand does not read the small event as ctl does");
        if (peer_ondemand_order(large_ev.text, large_ev.len, &o) || o.items.count != 20 ||
            o.total != ctl_large_value.order.total || strcmp(o.customer.billing.city, ctl_large_value.order.customer.billing.city) != 0)
            WARN("simdjson On-Demand does not read the large event as ctl does");
        if (peer_ondemand_batch(batch_ev.text, batch_ev.len, &b) || b.items.count != 500 ||
            b.items.count != ctl_batch_value.batch.items.count ||
            strcmp(b.notes.items[1], ctl_batch_value.batch.notes.items[1]) != 0)
            WARN("simdjson On-Demand does not read the 64 KB event as ctl does");
        else
            printf("  check: simdjson On-Demand reads the three events into the structs ctl reads\n");
    }
    check_dispatch(&wide_one_controller, &small_ev);
    check_dispatch(&wide_wide_controller, &small_ev);
    const ctl_controller *w = &wide_wide_controller;
    if (w->count != 1000 || ctl_controller_find(w, "notifyUsers", 11) != &w->functions[498])
        WARN("wide.notifyUsers is not at index 498 of a 1,000-function table");
    ctl_buf b = CTL_BUF_INIT;
    bench_NotifyEvent_to_json(&scratch_ctx, &ctl_small_value, &ctl_path_root, &b);
    check_written("ctl writer", b.data, b.len, &small_ev);
    b.len = 0;
    bench_OrderEvent_to_json(&scratch_ctx, &ctl_large_value, &ctl_path_root, &b);
    check_written("ctl writer", b.data, b.len, &large_ev);
    ctl_buf_free(&b);
    char *s = cJSON_PrintNotifyEvent(qt_small_value);
    check_written("quicktype print", s, strlen(s), &small_ev);
    free(s);
    s = cJSON_PrintOrderEvent(qt_large_value);
    check_written("quicktype print", s, strlen(s), &large_ev);
    free(s);
}

/* ---- sections ------------------------------------------------------------------------------ */

static void codec_section(const payload *p, bool large, long min_total)
{
    char names[9][40];
    const char *const suffix = large ? "large" : "small";
    static const char *const base[] = { "ctl_dispatch", "qt_parse", "cjson_parse", "ctl_parse", "ctl_read",
                                        "ctl_write", "ctl_write_reuse", "qt_print", "cjson_print" };
    static const char *const labels[] = {
        "ctl_dispatch (unmarshal + no-op handler + \"null\")",
        "quicktype cJSON_Parse<T> + cJSON_Delete<T>",
        "cJSON_Parse + cJSON_Delete (floor)",
        "  breakdown: ctl_json_parse alone",
        "  breakdown: ctl_json_parse + typed reader",
        "ctl writer (new ctl_buf, freed after)",
        "  ctl writer (ctl_buf reused, no malloc)",
        "quicktype cJSON_Print<T> + free",
        "  cJSON_PrintUnformatted of a built tree",
    };
    const char *np[9];
    for (int i = 0; i < 9; i++) {
        snprintf(names[i], sizeof names[i], "%s_%s", base[i], suffix);
        np[i] = names[i];
    }
    result rd[5], wr[4];
    printf("\n== %s event: %zu bytes; %d repetitions of ~%.0f ms per contender, >= %ld calls in all ==\n", p->name,
           p->len, reps, rep_ns / 1e6, min_total);
    printf("unmarshal:\n");
    print_header();
    time_ops(np, labels, 5, min_total, rd);
    for (int i = 0; i < 5; i++)
        print_result(&rd[i]);
    printf("marshal (the same value; ctl: bench_%s_write, quicktype: cJSON_Print%s):\n",
           large ? "OrderEvent" : "NotifyEvent", large ? "OrderEvent" : "NotifyEvent");
    time_ops(np + 5, labels + 5, 4, min_total, wr);
    for (int i = 0; i < 4; i++)
        print_result(&wr[i]);
    printf("ratios (of the wall-clock medians; of the CPU-time medians in parentheses):\n");
    double r1 = rd[1].med / rd[0].med;
    print_ratio("ctl unmarshal+dispatch faster than quicktype parse by", r1, rd[1].cpu / rd[0].cpu, ">= 1.5x",
                r1 >= 1.5);
    double r2 = wr[2].med / wr[0].med;
    print_ratio("ctl marshal faster than quicktype print by", r2, wr[2].cpu / wr[0].cpu, ">= 3x", r2 >= 3.0);
    double r3 = rd[0].med / rd[2].med;
    print_ratio("ctl unmarshal+dispatch time / bare cJSON parse time", r3, rd[0].cpu / rd[2].cpu, "<= 1.3x",
                r3 <= 1.3);
    printf("  %-56s %6.2fx  (cpu %5.2fx)\n", "  same, ctl_json_parse + typed reader (no dispatch)",
           rd[4].med / rd[2].med, rd[4].cpu / rd[2].cpu);
    printf("  %-56s %6.2fx  (cpu %5.2fx)\n", "  same, ctl_json_parse alone", rd[3].med / rd[2].med,
           rd[3].cpu / rd[2].cpu);
}

typedef struct fail_count {
    long n;
} fail_count;

static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)controller, (void)event, (void)len, (void)error_type, (void)error_message, (void)attempts;
    ((fail_count *)user)->n++;
}

static void send_section(void)
{
    long batches = env_long("BENCH_SEND_BATCHES", 100), per = env_long("BENCH_SEND_BATCH", 1000);
    fail_count fails = { 0 };
    ctl_client_config cfg = { 0 };
    cfg.workers = 0;       /* the default: 2 */
    cfg.max_retries = -1;  /* none (the handler never fails anyway) */
    cfg.dead_letter_path = "";
    cfg.idempotency_path = ""; /* notifyUsers is @idempotent: the same event again and again would time the
                                  store's answers, not the codec and the queue */
    cfg.on_failure = on_failure;
    cfg.failure_user = &fails;
    ctl_client *client = ctl_client_new(&cfg);
    if (!client || ctl_client_register(client, &leedz_async_email_helper_controller) != CTL_OK) {
        WARN("cannot make a client");
        return;
    }
    leedz_async_email_helper_notifyUsers_args args = { "123456789", leedz_Trade_caricatures, "scott.gross" };
    size_t n = (size_t)(batches * per);
    uint64_t *t = malloc(n * sizeof *t);
    double *batch_med = malloc((size_t)batches * sizeof *batch_med);
    double *batch_mean = malloc((size_t)batches * sizeof *batch_mean);
    uint64_t *tb = malloc((size_t)per * sizeof *tb);
    long bad = 0;
    for (long i = 0; i < per; i++) /* warm-up: workers started, arenas made */
        bad += leedz_async_email_helper_notifyUsers_send(client, &args) != CTL_OK;
    ctl_client_drain(client);
    for (long b = 0; b < batches; b++) {
        uint64_t b0 = now_ns();
        for (long i = 0; i < per; i++) {
            uint64_t t0 = now_ns();
            int rc = leedz_async_email_helper_notifyUsers_send(client, &args);
            uint64_t t1 = now_ns();
            bad += rc != CTL_OK;
            tb[i] = t1 - t0;
        }
        batch_mean[b] = (double)(now_ns() - b0) / (double)per;
        memcpy(t + (size_t)(b * per), tb, (size_t)per * sizeof *tb);
        qsort(tb, (size_t)per, sizeof *tb, cmp_u64);
        batch_med[b] = (double)tb[per / 2];
        ctl_client_drain(client); /* not timed: the queue starts empty each batch */
    }
    /* What a clock_gettime pair costs by itself (included in each figure). */
    uint64_t *ov = malloc(10001 * sizeof *ov);
    for (int i = 0; i < 10001; i++) {
        uint64_t a = now_ns();
        ov[i] = now_ns() - a;
    }
    qsort(ov, 10001, sizeof *ov, cmp_u64);
    qsort(t, n, sizeof *t, cmp_u64);
    ctl_client_stats st;
    ctl_client_stats_get(client, &st);
    ctl_client_free(client);
    printf("\n== _send on the in-process transport (leedz_async_email_helper_notifyUsers_send) ==\n");
    printf("  method: %ld batches x %ld sends on the main thread, each send timed alone with\n"
           "  clock_gettime(CLOCK_MONOTONIC); the client's 2 default workers run the no-op handler\n"
           "  meanwhile; ctl_client_drain() between batches (not timed), so the queue starts empty.\n",
           batches, per);
    printf("  %-46s %10.1f ns\n", "median of all sends", (double)t[n / 2]);
    printf("  %-46s %10.1f ns\n", "median of the per-batch medians", median(batch_med, (size_t)batches));
    printf("  %-46s %10.1f ns\n", "p90 of all sends", (double)t[n * 9 / 10]);
    printf("  %-46s %10.1f ns\n", "p99 of all sends", (double)t[n * 99 / 100]);
    printf("  %-46s %10.1f ns\n", "median batch wall time / sends", median(batch_mean, (size_t)batches));
    printf("  %-46s %10.1f ns   (included above)\n", "clock_gettime pair alone, median", (double)ov[5000]);
    printf("  events sent %" PRIu64 ", succeeded %" PRIu64 ", failed %" PRIu64 "; non-OK returns %ld\n", st.sent,
           st.succeeded, st.failed, bad);
    if (st.succeeded != st.sent || bad || fails.n)
        WARN("not every event succeeded");
    double med = (double)t[n / 2];
    printf("  %-56s %6.3f us  target < 2 us: %s\n", "_send median", med / 1000.0, med < 2000.0 ? "met" : "MISSED");
    free(t);
    free(tb);
    free(ov);
    free(batch_med);
    free(batch_mean);
}

static void wide_section(long min_total)
{
    static const char *const names[] = { "dispatch_1fn", "dispatch_1000fn", "find_1fn", "find_1000fn" };
    static const char *const labels[] = {
        "ctl_dispatch, 1-function controller",
        "ctl_dispatch, 1,000-function controller",
        "  ctl_controller_find alone, 1 function",
        "  ctl_controller_find alone, 1,000 functions",
    };
    result r[4];
    printf("\n== dispatch table size: the small event (notifyUsers); %d repetitions of ~%.0f ms, >= %ld calls ==\n",
           reps, rep_ns / 1e6, min_total);
    printf("  (wide.ctl, generated: controller 'one' has notifyUsers only; 'wide' has 1,000 functions\n"
           "   of the same payload, notifyUsers at index 498 of the sorted table; the lookup is the\n"
           "   hash table ctlc builds, bisection (10 probes here) only for tables without one)\n");
    time_ops(names, labels, 4, min_total, r);
    print_header();
    for (int i = 0; i < 4; i++)
        print_result(&r[i]);
    double ratio = r[1].med / r[0].med;
    print_ratio("dispatch 1,000-function / 1-function", ratio, r[1].cpu / r[0].cpu, "<= 1.2", ratio <= 1.2);
}

/* ---- the peers: GB/s and ns per event, on the three events ------------------------------ */

/* GB/s of an event of len bytes read in ns nanoseconds. */
static double gbps(size_t len, double ns)
{
    return ns > 0 ? (double)len / ns : 0;
}

static void peer_rows(const payload *p, const char *suffix, bool quicktype, long min_total, result *r)
{
    static const char *const base[] = { "ctl_dispatch", "ondemand", "simdjson_dom", "cjson_parse", "jansson", "jsonc",
                                        "qt_parse" };
    static const char *const labels[] = {
        "ctl_dispatch (one-pass read, checks, no-op handler)",
        "simdjson On-Demand into the same struct, checks",
        "simdjson DOM parse (tape only, no struct)",
        "cJSON_Parse + cJSON_Delete",
        "jansson json_loadb + json_decref",
        "json-c json_tokener_parse_ex + json_object_put",
        "quicktype cJSON_Parse<T> + cJSON_Delete<T>",
    };
    char names[7][40];
    const char *np[7];
    size_t n = quicktype ? 7 : 6;
    for (size_t i = 0; i < n; i++) {
        snprintf(names[i], sizeof names[i], "%s_%s", base[i], suffix);
        np[i] = names[i];
    }
    printf("\n-- %s event: %zu bytes --\n", p->name, p->len);
    printf("  %-50s %9s %9s %9s\n", "", "ns/event", "cpu ns", "GB/s");
    time_ops(np, labels, n, min_total, r);
    for (size_t i = 0; i < n; i++)
        printf("  %-50s %9.1f %9.1f %9.3f\n", r[i].label, r[i].med, r[i].cpu, gbps(p->len, r[i].med));
}

static void peers_section(long small_iters, long large_iters)
{
    printf("\n== speed: ctl against simdjson 3 (DOM, On-Demand), cJSON, jansson, json-c, quicktype; one process, "
           "medians ==\n");
    result s[7], l[7], b[7], w[3];
    peer_rows(&small_ev, "small", true, small_iters, s);
    peer_rows(&large_ev, "large", true, large_iters, l);
    peer_rows(&batch_ev, "batch", false, large_iters / 10 + 1, b);
    printf("targets (issue 14; wall-clock medians, cpu in parentheses):\n");
    printf("  %-56s %6.1f ns (cpu %5.1f ns)  target <= 100 ns: %s\n", "88-byte event: ctl_dispatch", s[0].med, s[0].cpu,
           s[0].med <= 100 ? "met" : "MISSED");
    const result *big[2] = { l, b };
    const payload *ev[2] = { &large_ev, &batch_ev };
    for (int i = 0; i < 2; i++) {
        char what[80];
        snprintf(what, sizeof what, "%s event: ctl_dispatch GB/s", ev[i]->name);
        double g = gbps(ev[i]->len, big[i][0].med);
        printf("  %-56s %6.3f GB/s (cpu %5.3f)  target >= 1 GB/s: %s\n", what, g, gbps(ev[i]->len, big[i][0].cpu),
               g >= 1.0 ? "met" : "MISSED");
        snprintf(what, sizeof what, "%s event: On-Demand time / ctl_dispatch time", ev[i]->name);
        double r = big[i][1].med / big[i][0].med;
        print_ratio(what, r, big[i][1].cpu / big[i][0].cpu, ">= 1", r >= 1.0);
        snprintf(what, sizeof what, "%s event: simdjson DOM time / ctl_dispatch time", ev[i]->name);
        r = big[i][2].med / big[i][0].med;
        print_ratio(what, r, big[i][2].cpu / big[i][0].cpu, "> 1", r > 1.0);
    }
    static const char *const wn[] = { "ctl_write_reuse_small", "ctl_write_reuse_large", "ctl_write_reuse_batch" };
    static const char *const wl[] = { "ctl writer, small (ctl_buf reused)", "ctl writer, large (ctl_buf reused)",
                                      "ctl writer, 64 KB (ctl_buf reused)" };
    printf("\nwriters (the values read from the events, written back):\n");
    time_ops(wn, wl, 3, large_iters, w);
    const payload *all[3] = { &small_ev, &large_ev, &batch_ev };
    for (int i = 0; i < 3; i++)
        printf("  %-50s %9.1f %9.1f %9.3f GB/s\n", w[i].label, w[i].med, w[i].cpu, gbps(all[i]->len, w[i].med));
    for (int i = 1; i < 3; i++) {
        char what[80];
        snprintf(what, sizeof what, "%s event: ctl writer GB/s", all[i]->name);
        double g = gbps(all[i]->len, w[i].med);
        printf("  %-56s %6.3f GB/s (cpu %5.3f)  target >= 1.5 GB/s: %s\n", what, g, gbps(all[i]->len, w[i].cpu),
               g >= 1.5 ? "met" : "MISSED");
    }
}

/* ---- memory: calls to malloc per event, RSS ---------------------------------------------- */

/* An interposed malloc, calloc and realloc (glibc's __libc_* underneath)
 * that count the calls of this thread while counting is set. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
static _Thread_local bool counting;
static _Thread_local long allocations;

void *malloc(size_t n)
{
    allocations += counting;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    allocations += counting;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    allocations += counting;
    return __libc_realloc(p, n);
}

static long rss_kib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * 4;
}

static void malloc_section(void)
{
    static const char *const names[] = { "ctl_dispatch_small", "ctl_dispatch_large", "ctl_dispatch_batch",
                                         "ctl_write_reuse_small", "ctl_write_reuse_large",
                                         "ctl_write_reuse_batch" };
    printf("\n== memory: calls to malloc, calloc and realloc per op after 1,000 warm-up ops (10,000 counted) ==\n");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const op *o = find_op(names[i]);
        for (int k = 0; k < 1000; k++)
            o->fn();
        allocations = 0;
        counting = true;
        for (int k = 0; k < 10000; k++)
            o->fn();
        counting = false;
        printf("  %-28s %8.3f per op\n", names[i], (double)allocations / 10000.0);
    }
    long before = rss_kib();
    long events = env_long("BENCH_RSS_EVENTS", 1000000);
    for (long k = 0; k < events; k++)
        op_ctl_dispatch_small();
    long mid = rss_kib();
    for (long k = 0; k < events / 100; k++)
        op_ctl_dispatch_batch();
    printf("  RSS: %ld KiB, after %ld small events %ld KiB, after %ld 64 KB events more %ld KiB\n", before, events, mid,
           events / 100, rss_kib());
}

/* RSS over n events, of each hundred 89 small, 10 large and one 64 KB,
 * printed at the start and after each tenth; and the calls to malloc in
 * all, after the first hundred. */
static void rss_section(long n)
{
    printf("== RSS over %ld events (of each 100: 89 small, 10 large, 1 of 64 KB) ==\n", n);
    for (long k = 0; k < 100; k++) /* warm */
        op_ctl_dispatch_small(), op_ctl_dispatch_large(), op_ctl_dispatch_batch();
    allocations = 0;
    counting = true;
    printf("  %11s events: RSS %6ld KiB\n", "0", rss_kib());
    for (int tenth = 1; tenth <= 10; tenth++) {
        long end = n / 10 * tenth;
        for (long k = n / 10 * (tenth - 1); k < end; k++) {
            long m = k % 100;
            if (m == 99)
                op_ctl_dispatch_batch();
            else if (m % 9 == 0 && m < 90)
                op_ctl_dispatch_large();
            else
                op_ctl_dispatch_small();
        }
        printf("  %11ld events: RSS %6ld KiB\n", end, rss_kib());
    }
    counting = false;
    printf("  calls to malloc, calloc and realloc: %ld in all\n", allocations);
}

/* ---- main ----------------------------------------------------------------------------------- */

static bool load(payload *p, const char *name, const char *path, const ctl_controller *c)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return false;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    /* Zeroed padding after the text: simdjson reads past the end. */
    p->text = calloc((size_t)n + 1 + peer_padding(), 1);
    p->len = fread(p->text, 1, (size_t)n, f);
    p->text[p->len] = '\0';
    fclose(f);
    while (p->len && (p->text[p->len - 1] == '\n' || p->text[p->len - 1] == '\r'))
        p->text[--p->len] = '\0';
    p->name = name;
    p->controller = c;
    return true;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--ops") == 0) {
        for (size_t i = 0; i < NOPS; i++)
            printf("%s %s\n", ops[i].name, ops[i].size == 0 ? "small" : ops[i].size == 1 ? "large" : "batch");
        return 0;
    }
    if (argc < 4) {
        fprintf(stderr, "usage: %s SMALL.json LARGE.json BATCH.json [--ir OP N]\n", argv[0]);
        return 2;
    }
    if (!load(&small_ev, "small", argv[1], &leedz_async_email_helper_controller) ||
        !load(&large_ev, "large", argv[2], &bench_orders_controller) ||
        !load(&batch_ev, "64 KB", argv[3], &bench_orders_controller))
        return 2;
    if (!setup())
        return 1;
    if (argc == 7 && strcmp(argv[4], "--ir") == 0) {
        const op *o = find_op(argv[5]);
        long n = strtol(argv[6], NULL, 10);
        if (!o || n <= 0)
            return 2;
        for (long i = 0; i < 100; i++) /* warm: arenas, buffers, lazy binding */
            o->fn();
        CALLGRIND_START_INSTRUMENTATION;
        for (long i = 0; i < n; i++)
            o->fn();
        CALLGRIND_STOP_INSTRUMENTATION;
        return 0;
    }
    if (argc == 6 && strcmp(argv[4], "--rss") == 0) {
        long n = strtol(argv[5], NULL, 10);
        if (n < 10)
            return 2;
        rss_section(n);
        return 0;
    }
    reps = (int)env_long("BENCH_REPS", 51);
    rep_ns = (double)env_long("BENCH_REP_US", 4000) * 1000.0;
    long small_iters = env_long("BENCH_SMALL_ITERS", 200000);
    long large_iters = env_long("BENCH_LARGE_ITERS", 10000);

    printf("sanity:\n");
    checks();
    printf("note: ctl's readers check what quicktype's do not (required fields, @length and @range,\n"
           "  enum values, UTF-8, duplicate keys); times of different sections are not comparable\n"
           "  when the machine's load changes between them: compare within a section.\n");
    codec_section(&small_ev, false, small_iters);
    codec_section(&large_ev, true, large_iters);
    send_section();
    wide_section(small_iters);
    peers_section(small_iters, large_iters);
    malloc_section();
    if (warnings)
        printf("\n%d warning(s) above\n", warnings);
    return 0;
}
