/* emit.h: kept only so that emit_c.c, being rewritten on another branch,
 * builds unchanged. The emitters are declared in ctlc.h, file writing in
 * files.h; include those and delete this file when the branches meet. */
#ifndef CTLC_EMIT_H
#define CTLC_EMIT_H

#include "ctlc.h"
#include "files.h"

#endif
