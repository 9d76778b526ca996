/* serve/learn.c: what serve learns of each function's RequestResponse
 * calls (fast enough to run on the HTTP thread, or not), and the one parse
 * of a call's body that tells which function it is. */
#include "base/clock.h"
#include "client/client.h"
#include "codec/dispatch.h"
#include "serve/learn.h"

#define FAST_US 5000            /* a call this quick may run on the HTTP thread */
#define FAST_STREAK 8           /* ... once a function had this many in a row */
#define SLOW_STRIKES 3          /* slow calls after which a function stays on runners */

void ctli_serve_learn(fn_stat *fn, uint64_t us)
{
    if (!fn || atomic_load(&fn->state) == FN_SLOW)
        return;
    if (us > FAST_US) {
        atomic_store(&fn->streak, 0);
        if (atomic_fetch_add(&fn->strikes, 1) + 1 >= SLOW_STRIKES)
            atomic_store(&fn->state, FN_SLOW);
        else
            atomic_store(&fn->state, FN_LEARNING);
        return;
    }
    int learning = FN_LEARNING;
    if (atomic_load(&fn->state) == FN_LEARNING && atomic_fetch_add(&fn->streak, 1) + 1 >= FAST_STREAK)
        atomic_compare_exchange_strong(&fn->state, &learning, FN_FAST);
}

fn_stat *ctli_serve_prepare_call(serve *s, req *r, const char *body, size_t len)
{
    size_t k = 0;
    while (k < s->nhosted && s->hosted[k] != r->controller)
        k++;
    if (k == s->nhosted)
        return NULL;
    ctli_invocation inv = { s->client, NULL, 0, NULL, r->trace, ctli_client_idem_store(s->client),
                            (int64_t)(ctli_wall_ms() + s->opt.timeout_ms), r->parse_reserved };
    ctli_dispatch_begin(&r->ctx, r->controller, &inv);
    r->root = ctli_dispatch_parse(&r->ctx, body, len);
    r->f = ctli_dispatch_find(&r->ctx, r->controller, r->root);
    r->parsed = true;
    return r->f ? &s->fn_stats[k][r->f - r->controller->functions] : NULL;
}
