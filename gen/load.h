/* load.h: what load.c shares with the rest of the library (private). */
#ifndef CTLC_LOAD_H
#define CTLC_LOAD_H

#include "ctlc.h"

/* Gives src to the run, which frees it with the run, so that diagnostics
 * pointing into it stay printable until then; numbers it in load order.
 * src NULL (its allocation failed) is out of memory. Returns src. */
ctlc_source *ctlc_run_adopt(ctlc_run *run, ctlc_source *src);

#endif
