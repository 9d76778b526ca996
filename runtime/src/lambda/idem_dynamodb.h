/* lambda/idem_dynamodb.h: the idempotency store in a DynamoDB table
 * (idem_dynamodb.c), with Powertools' item layout, over DynamoDB's JSON 1.0
 * API signed by libctl's SigV4: the store of the runtime loop on Lambda,
 * and of any client given ctl_client_use_idempotency_table(). */
#ifndef CTL_LAMBDA_IDEM_DYNAMODB_H
#define CTL_LAMBDA_IDEM_DYNAMODB_H

#include <stddef.h>

#include "base/private.h"
#include "codec/idem.h"
#include "lambda/aws_service.h"

CTLI_BEGIN_PRIVATE

typedef struct ctli_idem_dynamodb ctli_idem_dynamodb;

/* How hard one operation tries; 0 fields take the defaults. */
/* DynamoDB's limit on one item's size, 400 KB (its attribute names' and
 * values' bytes). A result whose completed item would be larger is not
 * stored: complete() answers -1, saying so, and releases the claim. */
#define CTLI_IDEM_DYNAMODB_ITEM_MAX (400u * 1024u)

typedef struct ctli_idem_dynamodb_limits {
    int max_attempts;           /* 4: throttling, 5xx and lost connections are sent again */
    unsigned backoff_base_ms;   /* 50: attempt n+1 waits a random time in [0, base * 2^n), at most 2 s */
    long connect_timeout_ms;    /* 5000 */
    long timeout_ms;            /* 10000, one attempt whole */
} ctli_idem_dynamodb_limits;

/* Opens the store on table (3 to 255 of A-Z a-z 0-9 _ - .), reaching
 * DynamoDB as given says, else by the environment (aws_service.h, with
 * AWS_ENDPOINT_URL_DYNAMODB); limits may be NULL. Sends nothing: a missing
 * table shows at the first claim. NULL with err set (errlen bytes, never a
 * secret) on failure. The caller owns the result: close it. Its store
 * interface is safe from any number of threads (a pool of connections). */
ctli_idem_dynamodb *ctli_idem_dynamodb_open(const char *table, const ctli_aws_given *given,
                                            const ctli_idem_dynamodb_limits *limits, char *err, size_t errlen);

/* The store interface over d (borrowed: lives as long as d). */
const ctli_idem_store *ctli_idem_dynamodb_store(ctli_idem_dynamodb *d);

/* Closes the store and its connections; NULL is fine. */
void ctli_idem_dynamodb_close(ctli_idem_dynamodb *d);

CTLI_END_PRIVATE

#endif
