/* oom.c: the ctlc library when memory runs out.
 *
 * Runs load, check, dump, every emitter but C, fmt and diff on a spec held
 * in memory, making the Nth allocation of the library fail, for every N
 * until a whole pass allocates less. Each call must return CTLC_OK or
 * CTLC_NOMEM, never crash or exit; after CTLC_NOMEM every later call on the
 * run returns CTLC_NOMEM; and a pass without a failure gives the outputs of
 * a normal run. (malloc, calloc and realloc are wrapped at link time:
 * -Wl,--wrap; memory that stdio allocates for itself is not counted.) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../check.h"
#include "ctlc.h"

static long fail_at = -1, allocations;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);

static bool fail_now(void)
{
    return fail_at >= 0 && allocations++ == fail_at;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

static const char spec_text[] =
    "/// The spec.\n"
    "package shop;\n"
    "\n"
    "enum Trade { dj, magician }\n"
    "\n"
    "/// An order.\n"
    "struct Order {\n"
    "    @length(min: 1, max: 64) id: string; // the id\n"
    "    trade: Trade = dj;\n"
    "    tags?: list<map<string>>;\n"
    "    extra: json;\n"
    "}\n"
    "\n"
    "client web uses orders;\n"
    "\n"
    "controller orders {\n"
    "    /* Places an order. */\n"
    "    async fn place { order: Order; }\n"
    "\n"
    "    @deprecated(\"use place\")\n"
    "    fn check { id: string; } -> { ok: bool; why?: string; }\n"
    "}\n"
    "/// A doc comment that documents nothing: a warning.\n";

static char *reference;       /* what the first pass wrote */

/* Each call on a run: its status, as expected or CTLC_NOMEM, and nothing
 * but CTLC_NOMEM once the run is spent. */
#define EXPECT(expr, want)                                                                                            \
    do {                                                                                                              \
        ctlc_status st_ = (expr);                                                                                     \
        CHECK(st_ == (want) || st_ == CTLC_NOMEM, "%s returned %d (allocation %ld failed)", #expr, (int)st_,        \
              fail_at);                                                                                               \
        CHECK(!spent || st_ == CTLC_NOMEM, "%s returned %d on a spent run", #expr, (int)st_);                         \
        spent = spent || st_ == CTLC_NOMEM;                                                                           \
    } while (0)
#define CALL(expr) EXPECT(expr, CTLC_OK)

/* A valid spec through every call; returns whether memory ran out. */
static bool valid_spec(FILE *out, const char *dir)
{
    ctlc_run *run = ctlc_run_new(out);
    if (!run)
        return true;
    bool spent = false;
    ctlc_spec *spec = NULL;
    CALL(ctlc_load_memory(run, "shop.ctl", spec_text, strlen(spec_text), &spec));
    CALL(ctlc_check(run));
    if (!spent) /* dump takes no run: a spec, when there is one */
        CALL(ctlc_dump(out, spec));
    CALL(ctlc_emit_schema(run, spec, dir));
    CALL(ctlc_emit_asyncapi(run, spec, NULL, out));
    CALL(ctlc_emit_doc(run, spec, dir));
    CALL(ctlc_emit_ts(run, spec, dir));
    CALL(ctlc_emit_py(run, spec, dir));
    ctlc_iam_options iam = { "eu-west-3", NULL, NULL, NULL, NULL };
    CALL(ctlc_iam_resolve(run, &iam));
    CALL(ctlc_emit_iam(run, spec, &iam, out));
    bool breaking = true;
    ctlc_diff_options dopt = { true, false };
    CALL(ctlc_diff(run, spec, spec, &dopt, out, &breaking));
    CHECK(spent || !breaking, "a spec breaks against itself");
    char *text = NULL;
    size_t len = 0;
    CALL(ctlc_fmt(run, "shop.ctl", spec_text, strlen(spec_text), &text, &len));
    if (text)
        fwrite(text, 1, len, out);
    free(text);
    ctlc_run_free(run);
    return spent;
}

/* Errors: a spec read from a file, its imports (one missing), checker
 * errors; a syntax error for fmt. Returns whether memory ran out. */
static bool broken_specs(FILE *out, const char *dir)
{
    ctlc_run *run = ctlc_run_new(out);
    if (!run)
        return true;
    bool spent = false;
    char path[128];
    snprintf(path, sizeof path, "%s/main.ctl", dir);
    ctlc_spec *spec;
    CALL(ctlc_load(run, path, &spec));
    EXPECT(ctlc_check(run), CTLC_ERRORS);
    char *text = NULL;
    size_t len = 0;
    EXPECT(ctlc_fmt(run, "broken.ctl", "struct S { x int; }", 19, &text, &len), CTLC_ERRORS);
    CHECK(!text, "fmt returned a text for a spec with a syntax error");
    ctlc_run_free(run);
    return spent;
}

static char *reference;       /* what the first pass wrote */

/* One pass; returns whether the Nth allocation was reached. */
static bool pass(const char *dir)
{
    allocations = 0;
    FILE *out = tmpfile();
    bool ran_out = valid_spec(out, dir);
    ran_out = broken_specs(out, dir) || ran_out;
    bool reached = fail_at >= 0 && allocations > fail_at;
    CHECK(!reached || ran_out, "allocation %ld failed and no call said so", fail_at);
    /* A pass that did not run out writes what the first pass wrote. */
    long failing = fail_at;
    fail_at = -1; /* nothing fails while the outputs are compared */
    static char got[65536];
    rewind(out);
    size_t n = fread(got, 1, sizeof got - 1, out);
    got[n] = '\0';
    fclose(out);
    if (!reference)
        reference = strdup(got);
    else if (!ran_out)
        CHECK(strcmp(got, reference) == 0, "a pass without a failure wrote other output:\n%.2000s", got);
    fail_at = failing;
    return reached;
}

int main(void)
{
    char dir[] = "/tmp/ctlc-oom-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char path[128];
    snprintf(path, sizeof path, "%s/lib.ctl", dir);
    FILE *f = fopen(path, "w");
    fputs("package lib;\n/// L.\nstruct L { a: int; }\nstruct L {}\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/main.ctl", dir);
    f = fopen(path, "w");
    fputs("import \"lib.ctl\";\nimport \"nope.ctl\";\nstruct M { l: L; x: Nope; }\n"
          "controller C { fn f {} -> Missing }\n", f);
    fclose(f);
    pass(dir); /* warm up: stdio's own buffers, and a check that it all works */
    long n = 0;
    for (fail_at = 0; pass(dir); fail_at++)
        n++;
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 2;
    printf("oom: %ld allocations made to fail, one at a time; %d checks, %d failures\n", n, checks, failures);
    free(reference);
    return failures ? 1 : 0;
}
