/* emit.h: the emitters of ctlc, one per output. */
#ifndef CTLC_EMIT_H
#define CTLC_EMIT_H

#include <stddef.h>

#include "ctlc.h"

typedef struct ctlc_emit_c_options {
    const char *outdir;       /* where NAME.ctl.h and NAME.ctl.c go */
    const char **hosts;       /* controllers whose dispatch tables to emit; NULL = all */
    size_t nhosts;
    const char *depfile;      /* write make-style dependencies here, or NULL */
} ctlc_emit_c_options;

/* Writes the C header and source of one checked spec. Returns 0, or -1
 * after reporting an I/O error. */
int ctlc_emit_c(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt);

/* Writes OUTDIR/NAME_handlers.c, a starter with one stub handler per
 * function of the hosted controllers and a main; never overwrites. */
int ctlc_emit_scaffold(ctlc_run *run, const ctlc_spec *spec, const ctlc_emit_c_options *opt);

/* Writes the C of the given specs (as protoc does, not of their imports:
 * list those too when their C is needed). */
int ctlc_emit_c_all(ctlc_run *run, ctlc_spec *const *roots, size_t nroots, const ctlc_emit_c_options *opt);

#endif
