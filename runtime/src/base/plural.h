/* base/plural.h: the noun that goes with a count in a message ("1 event",
 * "2 events"), so that runtime messages read as English. */
#ifndef CTL_BASE_PLURAL_H
#define CTL_BASE_PLURAL_H

#include <stdint.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* one when n is 1, else many. */
static inline const char *ctli_plural(uintmax_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

CTLI_END_PRIVATE

#endif
