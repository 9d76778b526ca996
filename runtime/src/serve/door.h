/* serve/door.h: strict HTTP at the door (door.c): a request's headers
 * checked before its body is read or it is routed. */
#ifndef CTL_SERVE_DOOR_H
#define CTL_SERVE_DOOR_H

#include "base/private.h"
#include "serve/state.h"

CTLI_BEGIN_PRIVATE

/* NULL when the headers of conn's request (of HTTP version `version`, as
 * MHD gives it; NULL is taken as HTTP/1.1) may be trusted to frame it;
 * otherwise the first rule they break, as a sentence naming its RFC
 * section (a constant: the caller owns nothing). */
const char *ctli_serve_door_check(struct MHD_Connection *conn, const char *version);

CTLI_END_PRIVATE

#endif
