/* base/parts.c: the table through which the core reaches the parts a
 * program links (base/parts.h). */
#include "base/parts.h"

ctli_parts ctli_linked;
