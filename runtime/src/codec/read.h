/* codec/read.h: what the typed readers (read.c) offer libctl beyond
 * ctl/gen.h. */
#ifndef CTL_CODEC_READ_H
#define CTL_CODEC_READ_H

#include "ctl/gen.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Appends the JSON text of a path ("$.a[2]") to b. */
void ctli_path_format(ctl_buf *b, const ctl_path *path);

CTLI_END_PRIVATE

#endif
