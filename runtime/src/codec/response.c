/* codec/response.c: ctl_response: the Lambda error object, and freeing. */
#include <stdlib.h>
#include <string.h>

#include "ctl/gen.h"

#include "codec/response.h"

ctl_status ctli_response_error(ctl_response *resp, ctl_status status, const char *type, const char *message)
{
    ctl_buf b = CTL_BUF_INIT;
    if (!type)
        type = ctl_status_error_type(status);
    if (!message)
        message = ctl_status_str(status);
    /* The error object as Lambda's runtimes write it. Strings that are not
     * UTF-8 (a handler's message, say) are replaced, not dropped. */
    CTL_BUF_LIT(&b, "{\"errorType\":");
    if (ctl_write_string(&b, type))
        CTL_BUF_LIT(&b, "\"ctl.Error\"");
    CTL_BUF_LIT(&b, ",\"errorMessage\":");
    if (ctl_write_string(&b, message))
        CTL_BUF_LIT(&b, "\"(the message was not valid UTF-8)\"");
    ctl_buf_putc(&b, '}');
    ctl_buf_putc(&b, '\0');
    resp->status = status;
    resp->error_type = strdup(type);
    resp->error_message = strdup(message);
    if (b.failed || !resp->error_type || !resp->error_message) {
        ctl_buf_free(&b);
        free(resp->error_type);
        free(resp->error_message);
        resp->error_type = resp->error_message = NULL;
        resp->body = NULL;
        resp->len = 0;
        resp->status = CTL_ERR_NOMEM;
        return CTL_ERR_NOMEM;
    }
    resp->body = b.data;
    resp->len = b.len - 1;
    return status;
}

void ctl_response_free(ctl_response *resp)
{
    if (!resp)
        return;
    free(resp->body);
    free(resp->error_type);
    free(resp->error_message);
    memset(resp, 0, sizeof *resp);
}
