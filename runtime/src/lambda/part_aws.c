/* lambda/part_aws.c: libctl_aws, what reaches AWS (the Lambda Invoke
 * transport, SigV4, the DynamoDB idempotency store: libcurl and
 * libcrypto), registered with the core (base/parts.h) when the part is
 * linked, so that the Runtime API loop uses Lambda for the controllers it
 * does not host. */
#include "ctl/gen.h"

#include "base/parts.h"
#include "codec/sha256.h"

const char ctl_part_aws[] = "libctl_aws";

__attribute__((constructor)) static void register_part(void)
{
    ctli_linked.use_lambda = ctl_client_use_lambda;
    ctli_linked.use_idempotency_table = ctl_client_use_idempotency_table;
    ctli_linked.sha256_hex = ctli_sha256_hex;
}
