/* client/record.h: Lambda's invocation record of an async event's end
 * (record.c), the one writer of it for every transport, and where a record
 * for an external destination goes locally. The record's shape is AWS's
 * (docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html):
 *
 *   {"version":"1.0","timestamp":"2026-12-07T03:39:32.123Z",
 *    "requestContext":{"requestId":"...","functionArn":"arn:aws:lambda:REGION:000000000000:function:NAME:$LATEST",
 *                      "condition":"RetriesExhausted","approximateInvokeCount":3},
 *    "requestPayload":EVENT,
 *    "responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},
 *    "responsePayload":{"errorMessage":"...","errorType":"..."}}
 *
 * On success there is no functionError, and responsePayload is the
 * function's response (null for an async fn). Its reader, for @records
 * functions, is codec/record_read.c. */
#ifndef CTL_CLIENT_RECORD_H
#define CTL_CLIENT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "ctl/ctl.h"
#include "ctl/gen.h"

#include "base/private.h"

CTLI_BEGIN_PRIVATE

/* The condition of a success record (the failures' are in sink.h). */
#define CTLI_SUCCESS "Success"

/* What a record says. All borrowed for the call. */
typedef struct ctli_record {
    const char *condition;      /* CTLI_SUCCESS, CTLI_RETRIES_EXHAUSTED, CTLI_EVENT_AGE_EXCEEDED */
    const char *request_id;
    const char *function_arn;
    int attempts;               /* approximateInvokeCount: attempts run */
    const char *event;          /* requestPayload: len bytes, as JSON when they are JSON on one line
                                   and UTF-8, else as a string when UTF-8 text, else null with
                                   "requestPayloadBase64" beside it */
    size_t len;
    const char *response;       /* success: the response's JSON text (response_len bytes); NULL: null */
    size_t response_len;
    const char *error_type;     /* failure: the last error, responsePayload's errorType (NULL: ctl.Error) */
    const char *error_message;  /* and errorMessage (NULL: "") */
    uint64_t when_ms;           /* timestamp: wall clock, ms since the epoch */
} ctli_record;

/* Appends the record's JSON object (one line, no newline) to b. */
void ctli_record_write(ctl_buf *b, const ctli_record *r);

/* The local form of a request id for a transport without one of its own
 * (the in-process client): hi, random per core, and the event's number,
 * laid out as a UUID (version 4 digit, variant 'a'). */
void ctli_record_local_id(uint64_t hi, uint64_t seq, char out[40]);

/* A destination kind's word: "sqs", "sns", "eventbridge", "s3", "controller". */
const char *ctli_destination_word(ctl_destination_kind kind);

/* The local file of an external destination's records, DIR/KIND-NAME.jsonl
 * (dir NULL or "": "."), in out: 0, or -1 when it does not fit in cap. */
int ctli_record_path(char *out, size_t cap, const char *dir, const ctl_destination *d);

CTLI_END_PRIVATE

#endif
