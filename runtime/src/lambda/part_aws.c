/* lambda/part_aws.c: libctl_aws, what reaches AWS (the Lambda Invoke
 * transport, SigV4, the DynamoDB idempotency store: libcurl and libcrypto,
 * opened at their first use, aws_libs.h), registered with the core
 * (base/parts.h) when the part is linked, so that the Runtime API loop
 * uses Lambda for the controllers it does not host. */
#include "ctl/gen.h"

#include "base/parts.h"
#include "lambda/invoke.h"
#include "lambda/sigv4.h"

const char ctl_part_aws[] = "libctl_aws";

__attribute__((constructor)) static void register_part(void)
{
    ctli_linked.use_lambda_lazily = ctli_invoke_attach_lazily;
    ctli_linked.use_idempotency_table = ctl_client_use_idempotency_table;
    ctli_linked.sha256_hex = ctli_sigv4_sha256_hex;
}
