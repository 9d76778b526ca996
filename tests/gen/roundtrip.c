/* roundtrip.c: random values of every type through the generated stub, the
 * in-process transport, dispatch, the handler and back.
 *
 * For each random t_All x: t_echo_all_call(x) returns y, and the canonical
 * JSON of y (the generated writer) must equal that of x, byte for byte.
 * Values cover the whole int64 range, any finite double (random bit
 * patterns), strings of random code points (controls, quotes, backslashes,
 * astral characters), nested lists and maps, optionals present or absent,
 * and json values. The seed is fixed (CTL_SEED overrides it). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "alltypes.ctl.h"
#include "ctl/gen.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t next(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717u;
}

static size_t below(size_t n)
{
    return n ? (size_t)(next() % n) : 0;
}

/* All memory of one value, freed at once. */
static void *pool[1 << 16];
static size_t npool;

static void *take(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p || npool == sizeof pool / sizeof pool[0]) {
        fputs("out of memory\n", stderr);
        exit(2);
    }
    pool[npool++] = p;
    return p;
}

static void release(void)
{
    while (npool)
        free(pool[--npool]);
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static const char *rand_string(size_t max)
{
    size_t n = below(max + 1);
    char *s = take(n * 4 + 1), *o = s;
    for (size_t i = 0; i < n; i++) {
        unsigned cp;
        switch (below(6)) {
        case 0: cp = 1 + (unsigned)below(0x1f); break;            /* controls (no NUL) */
        case 1: cp = "\"\\/ab"[below(5)]; break;                  /* what needs escaping */
        case 2: cp = 0x80 + (unsigned)below(0x780); break;        /* two bytes */
        case 3: cp = 0x800 + (unsigned)below(0xd000); break;      /* three bytes, below surrogates */
        case 4: cp = 0x10000 + (unsigned)below(0x100000); break;  /* astral */
        default: cp = 0x20 + (unsigned)below(0x5f); break;        /* printable ASCII */
        }
        if (cp >= 0xd800 && cp <= 0xdfff)
            cp = 'x';
        o += put_utf8(o, cp);
    }
    *o = '\0';
    return s;
}

static int64_t rand_int(void)
{
    switch (below(4)) {
    case 0: return INT64_MIN + (int64_t)below(3);
    case 1: return INT64_MAX - (int64_t)below(3);
    case 2: return (int64_t)below(2000) - 1000;
    default: return (int64_t)next();
    }
}

static double rand_float(void)
{
    for (;;) {
        double d;
        switch (below(5)) {
        case 0: d = (double)(int64_t)below(100) / 8.0; break;
        case 3: {
            /* short decimals, the writer's fast path: 12.5, 0.001234, -98765.4321 */
            static const double p10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };
            d = (double)((int64_t)below(2000000000) - 1000000000) / p10[below(10)];
            break;
        }
        case 1: d = below(2) ? -0.0 : 5e-324; break;
        default: {
            uint64_t bits = next();
            memcpy(&d, &bits, sizeof d);
        }
        }
        if (isfinite(d))
            return d;
    }
}

static cJSON *rand_json(int depth, cJSON ***keep);

static t_Color rand_color(void)
{
    return (t_Color)(t_Color_red + (int)below(3));
}

static t_Inner rand_inner(void)
{
    t_Inner v;
    memset(&v, 0, sizeof v);
    v.name = rand_string(6);
    if ((v.has_n = below(2)))
        v.n = rand_int();
    if ((v.has_tags = below(2))) {
        v.tags.count = below(3);
        v.tags.items = take(v.tags.count * sizeof *v.tags.items);
        for (size_t i = 0; i < v.tags.count; i++)
            v.tags.items[i] = rand_string(4);
    }
    return v;
}

/* json values are cJSON trees; the ones made here are deleted after use. */
static cJSON *trees[4096];
static size_t ntrees;

static cJSON *rand_json(int depth, cJSON ***keep)
{
    (void)keep;
    cJSON *v;
    switch (depth > 3 ? below(5) : below(7)) {
    case 0: v = cJSON_CreateNull(); break;
    case 1: v = cJSON_CreateBool(below(2)); break;
    case 2: v = cJSON_CreateNumber((double)(int64_t)below(1000) - 500); break;
    case 3: v = cJSON_CreateString(rand_string(5)); break;
    case 4: v = cJSON_CreateNumber(rand_float() / 1e300); break;
    case 5:
        v = cJSON_CreateArray();
        for (size_t i = below(4); i > 0; i--)
            cJSON_AddItemToArray(v, rand_json(depth + 1, NULL));
        break;
    default:
        v = cJSON_CreateObject();
        for (size_t i = below(4); i > 0; i--) {
            char key[8];
            snprintf(key, sizeof key, "k%zu", i);
            cJSON_AddItemToObject(v, key, rand_json(depth + 1, NULL));
        }
        break;
    }
    return v;
}

static cJSON *keep_json(void)
{
    cJSON *v = rand_json(0, NULL);
    if (ntrees < sizeof trees / sizeof trees[0])
        trees[ntrees++] = v;
    return v;
}

static char *unique_key(size_t i)
{
    const char *s = rand_string(4);
    char *k = take(strlen(s) + 24);
    sprintf(k, "%s#%zu", s, i); /* map keys must be unique */
    return k;
}

#define FILL_LIST(list, gen)                                                                                           \
    do {                                                                                                               \
        (list).count = below(4);                                                                                       \
        (list).items = take((list).count * sizeof *(list).items + 1);                                                  \
        for (size_t i_ = 0; i_ < (list).count; i_++)                                                                   \
            (list).items[i_] = gen;                                                                                    \
    } while (0)

#define FILL_MAP(map, gen)                                                                                             \
    do {                                                                                                               \
        (map).count = below(4);                                                                                        \
        (map).items = take((map).count * sizeof *(map).items + 1);                                                     \
        for (size_t i_ = 0; i_ < (map).count; i_++) {                                                                  \
            (map).items[i_].key = unique_key(i_);                                                                      \
            (map).items[i_].value = gen;                                                                               \
        }                                                                                                              \
    } while (0)

static t_list_string rand_list_string(void)
{
    t_list_string l;
    FILL_LIST(l, rand_string(5));
    return l;
}

static void rand_all(t_All *v)
{
    memset(v, 0, sizeof *v);
    v->s = rand_string(12);
    v->i = rand_int();
    v->f = rand_float();
    v->b = below(2);
    v->j = keep_json();
    v->c = rand_color();
    v->inner = rand_inner();
    FILL_LIST(v->ls, rand_string(5));
    FILL_LIST(v->li, rand_int());
    FILL_LIST(v->lf, rand_float());
    FILL_LIST(v->lb, below(2) != 0);
    FILL_LIST(v->lc, rand_color());
    FILL_LIST(v->linner, rand_inner());
    FILL_LIST(v->lls, rand_list_string());
    FILL_LIST(v->lj, keep_json());
    FILL_MAP(v->ms, rand_string(5));
    FILL_MAP(v->mi, rand_int());
    FILL_MAP(v->minner, rand_inner());
    FILL_MAP(v->mls, rand_list_string());
    if (below(2))
        v->os = rand_string(5);
    if ((v->has_oi = below(2)))
        v->oi = rand_int();
    if ((v->has_of = below(2)))
        v->of = rand_float();
    if ((v->has_ob = below(2)))
        v->ob = below(2);
    if (below(2))
        v->oj = keep_json();
    if ((v->has_oc = below(2)))
        v->oc = rand_color();
    if (below(2)) {
        v->oinner = take(sizeof *v->oinner);
        *v->oinner = rand_inner();
    }
    if ((v->has_ols = below(2)))
        v->ols = rand_list_string();
    if ((v->has_oms = below(2)))
        FILL_MAP(v->oms, rand_int());
    v->renamed = rand_string(5);
    v->di = rand_int();
    v->df = rand_float();
    v->db = below(2);
    v->dc = rand_color();
    v->ss = "abc";
    v->ri = (int64_t)below(201) - 100;
    v->rf = 0.5 + (double)below(5) / 4;
    FILL_LIST(v->lsmall, rand_int());
    if (v->lsmall.count > 3)
        v->lsmall.count = 3;
    if ((v->has_mnonempty = below(2))) {
        FILL_MAP(v->mnonempty, below(2) != 0);
        if (v->mnonempty.count == 0)
            v->has_mnonempty = false;
    }
}

static t_Tree rand_tree(int depth)
{
    t_Tree t;
    t.label = rand_string(3);
    t.kids.count = depth < 12 ? below(3) : 0;
    t.kids.items = take(t.kids.count * sizeof *t.kids.items + 1);
    for (size_t i = 0; i < t.kids.count; i++)
        t.kids.items[i] = rand_tree(depth + 1);
    return t;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 2000;
    const char *seed = getenv("CTL_SEED");
    if (seed)
        rng_state = strtoull(seed, NULL, 0) | 1;
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = "";
    cfg.on_failure = NULL;
    cfg.inline_sends = true;
    cfg.dead_letter_path = "/dev/null";
    ctl_client *client = ctl_client_new(&cfg);
    if (!client || ctl_client_register(client, &t_echo_controller) != CTL_OK) {
        fputs("cannot make the client\n", stderr);
        return 2;
    }
    int passed = 0, failed = 0;
    for (int round = 0; round < rounds; round++) {
        t_echo_all_args args;
        rand_all(&args.v);
        t_All result;
        ctl_reply *reply = NULL;
        ctl_status rc = t_echo_all_call(client, &args, &result, &reply);
        ctl_buf want = CTL_BUF_INIT, got = CTL_BUF_INIT;
        int wrote = t_All_to_json(NULL, &args.v, &ctl_path_root, &want);
        if (rc != 0 || wrote != 0 || t_All_to_json(NULL, &result, &ctl_path_root, &got) != 0 || want.len != got.len ||
            memcmp(want.data, got.data, want.len) != 0) {
            failed++;
            if (failed <= 3)
                fprintf(stderr, "round %d: rc %d (%s: %s)\n  sent: %.*s\n  got:  %.*s\n", round, rc,
                        ctl_reply_error_type(reply) ? ctl_reply_error_type(reply) : "-",
                        ctl_reply_error_message(reply) ? ctl_reply_error_message(reply) : "-", (int)want.len,
                        want.data ? want.data : "", (int)got.len, got.data ? got.data : "");
        } else {
            passed++;
        }
        ctl_buf_free(&want);
        ctl_buf_free(&got);
        ctl_reply_free(reply);

        /* A deep tree through the recursive reader and writer. */
        t_echo_tree_args targs = { rand_tree(0) };
        t_Tree tres;
        reply = NULL;
        rc = t_echo_tree_call(client, &targs, &tres, &reply);
        ctl_buf tw = CTL_BUF_INIT, tg = CTL_BUF_INIT;
        if (rc != 0 || t_Tree_to_json(NULL, &targs.t, &ctl_path_root, &tw) || t_Tree_to_json(NULL, &tres, &ctl_path_root, &tg) || tw.len != tg.len ||
            memcmp(tw.data, tg.data, tw.len) != 0) {
            failed++;
            fprintf(stderr, "round %d: tree round trip failed (rc %d)\n", round, rc);
        } else {
            passed++;
        }
        ctl_buf_free(&tw);
        ctl_buf_free(&tg);
        ctl_reply_free(reply);
        while (ntrees)
            cJSON_Delete(trees[--ntrees]);
        release();
    }
    ctl_client_free(client);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
