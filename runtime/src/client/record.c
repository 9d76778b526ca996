/* client/record.c: Lambda's invocation record (see record.h), written with
 * libctl's JSON writers (ctl/gen.h), and the local names of records. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/record.h"
#include "client/sink.h"

static void put_string(ctl_buf *b, const char *s, const char *instead)
{
    if (ctl_write_string(b, s))
        ctl_write_string(b, instead);
}

void ctli_record_write(ctl_buf *b, const ctli_record *r)
{
    char when[40];
    time_t secs = (time_t)(r->when_ms / 1000u);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(when + n, sizeof when - n, ".%03uZ", (unsigned)(r->when_ms % 1000u));
    bool success = strcmp(r->condition, CTLI_SUCCESS) == 0;

    CTL_BUF_LIT(b, "{\"version\":\"1.0\",\"timestamp\":");
    put_string(b, when, "");
    CTL_BUF_LIT(b, ",\"requestContext\":{\"requestId\":");
    put_string(b, r->request_id, "");
    CTL_BUF_LIT(b, ",\"functionArn\":");
    put_string(b, r->function_arn, "");
    CTL_BUF_LIT(b, ",\"condition\":");
    put_string(b, r->condition, "");
    CTL_BUF_LIT(b, ",\"approximateInvokeCount\":");
    ctl_write_int(b, r->attempts);
    CTL_BUF_LIT(b, "},\"requestPayload\":");
    if (ctli_event_is_json_text(r->event, r->len)) {
        ctl_buf_put(b, r->event, r->len);
    } else if (ctli_event_is_string(r->event, r->len)) {
        put_string(b, r->event, "");
    } else {
        /* Not UTF-8 text: null, and the bytes beside it in base64. */
        CTL_BUF_LIT(b, "null,\"requestPayloadBase64\":");
        ctli_write_base64(b, r->event, r->len);
    }
    CTL_BUF_LIT(b, ",\"responseContext\":{\"statusCode\":200,\"executedVersion\":\"$LATEST\"");
    if (!success)
        CTL_BUF_LIT(b, ",\"functionError\":\"Unhandled\"");
    CTL_BUF_LIT(b, "},\"responsePayload\":");
    if (success) {
        if (r->response && ctli_event_is_json_text(r->response, r->response_len))
            ctl_buf_put(b, r->response, r->response_len);
        else
            CTL_BUF_LIT(b, "null");
    } else {
        CTL_BUF_LIT(b, "{\"errorMessage\":");
        put_string(b, r->error_message ? r->error_message : "", "");
        CTL_BUF_LIT(b, ",\"errorType\":");
        put_string(b, r->error_type ? r->error_type : "ctl.Error", "ctl.Error");
        ctl_buf_putc(b, '}');
    }
    ctl_buf_putc(b, '}');
}

void ctli_record_local_id(uint64_t hi, uint64_t seq, char out[40])
{
    snprintf(out, 40, "%08" PRIx32 "-%04" PRIx32 "-4%03" PRIx32 "-a%03" PRIx32 "-%012" PRIx64, (uint32_t)(hi >> 32),
             (uint32_t)(hi >> 16) & 0xffffu, (uint32_t)(hi >> 4) & 0xfffu, (uint32_t)(seq >> 48) & 0xfffu,
             seq & 0xffffffffffffu);
}

const char *ctli_destination_word(ctl_destination_kind kind)
{
    switch (kind) {
    case CTL_DEST_CONTROLLER: return "controller";
    case CTL_DEST_SQS: return "sqs";
    case CTL_DEST_SNS: return "sns";
    case CTL_DEST_EVENTBRIDGE: return "eventbridge";
    case CTL_DEST_S3: return "s3";
    }
    return "unknown";
}

int ctli_record_path(char *out, size_t cap, const char *dir, const ctl_destination *d)
{
    /* EventBridge bus names may hold '/': not a folder here. */
    char name[300];
    size_t n = 0;
    for (const char *p = d->name; *p && n + 1 < sizeof name; p++)
        name[n++] = *p == '/' ? '_' : *p;
    name[n] = '\0';
    int w = snprintf(out, cap, "%s/%s-%s.jsonl", dir && *dir ? dir : ".", ctli_destination_word(d->kind), name);
    return w < 0 || (size_t)w >= cap ? -1 : 0;
}
