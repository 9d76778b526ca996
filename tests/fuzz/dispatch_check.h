/* dispatch_check.h: one event through the test controller `echo`
 * (tests/gen/alltypes.ctl, handlers in tests/gen/echo.c), with the
 * invariants both dispatch fuzz targets check. A violated invariant prints
 * what broke and aborts, so that libFuzzer reports the input. */
#ifndef DISPATCH_CHECK_H
#define DISPATCH_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* Makes the in-process client that half of the events are dispatched with. */
void dispatch_check_init(void);

/* Dispatches the size bytes at data and checks:
 *  - ctl_dispatch returns resp.status; the body exists (CTL_ERR_NOMEM
 *    excepted, as ctl.h allows), has no NUL, and len is its length;
 *  - the body is strict JSON (RFC 8259, valid UTF-8, no unpaired surrogate
 *    escapes);
 *  - on failure: the body is exactly {"errorType": S, "errorMessage": S}
 *    with the strings of resp.error_type / error_message, errorType is
 *    the status's own unless a handler failed; on success both are NULL;
 *  - the status agrees with an independent reading of the event: InvalidJSON
 *    exactly when fj_validate rejects the text, InvalidEvent exactly when
 *    the root is not an object or has no single well-formed "function",
 *    UnknownFunction exactly when that name is not in the table; HandlerError
 *    only from fail and fire; never InvalidResult (echo returns what it read);
 *  - async and empty results (fire, ping) answer "null";
 *  - the same event through ctl_client_call gives the same bytes;
 *  - after success of all, the json fields (j, oj, lj) come back as they
 *    were sent: the same structure, keys and strings, numbers the same
 *    doubles; a key that cannot come back (U+0000, an unpaired surrogate,
 *    bytes that are not UTF-8) must have been refused;
 *  - write(read(x)) is a fixed point: after success of all, tree or flat,
 *    dispatching the response as the argument gives the same bytes back. */
void dispatch_check(const uint8_t *data, size_t size);

#endif
