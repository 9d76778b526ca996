/* codec/sha256.h: the hex SHA-256 of the idempotency keys, through
 * libcrypto linked (sha256.c). In libctl_sqlite, which gives it to the core
 * through base/parts.h; libctl_aws, which opens libcrypto instead of
 * linking it, gives SigV4's (ctli_sigv4_sha256_hex). */
#ifndef CTL_CODEC_SHA256_H
#define CTL_CODEC_SHA256_H

#include <stddef.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* The lowercase hex SHA-256 of the len bytes at data into hex (64 digits
 * and a NUL). 0, or -1 when libcrypto fails. */
int ctli_sha256_hex(const void *data, size_t len, char hex[65]);

CTLI_END_PRIVATE

#endif
