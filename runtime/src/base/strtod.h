/* base/strtod.h: strtod in the C locale. */
#ifndef CTL_BASE_STRTOD_H
#define CTL_BASE_STRTOD_H

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* strtod in the C locale, whatever the program's locale is (JSON numbers
 * have a '.', whatever LC_NUMERIC says). */
double ctli_strtod_c(const char *s, char **end);

CTLI_END_PRIVATE

#endif
