/* base/utf8.h: checking one UTF-8 sequence. */
#ifndef CTL_BASE_UTF8_H
#define CTL_BASE_UTF8_H

#include <stddef.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* Length of the valid UTF-8 sequence at s (not past end), or 0 for an
 * invalid one: overlong forms, surrogates and code points past U+10FFFF are
 * invalid. ASCII is a sequence of 1. */
size_t ctli_utf8_seq(const unsigned char *s, const unsigned char *end);

CTLI_END_PRIVATE

#endif
