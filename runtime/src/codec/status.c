/* codec/status.c: what each ctl_status says: its text and its errorType. */
#include <stddef.h>

#include "ctl/ctl.h"

static const struct {
    const char *text, *type;
} status_info[] = {
    [CTL_OK] = { "ok", "" },
    [CTL_ERR_NOMEM] = { "out of memory", "ctl.OutOfMemory" },
    [CTL_ERR_INVALID_JSON] = { "the event is not JSON", "ctl.InvalidJSON" },
    [CTL_ERR_INVALID_EVENT] = { "the event is not a controller event", "ctl.InvalidEvent" },
    [CTL_ERR_UNKNOWN_FUNCTION] = { "unknown function", "ctl.UnknownFunction" },
    [CTL_ERR_INVALID_PAYLOAD] = { "invalid payload", "ctl.InvalidPayload" },
    [CTL_ERR_HANDLER] = { "the handler failed", "ctl.HandlerError" },
    [CTL_ERR_INVALID_RESULT] = { "invalid result", "ctl.InvalidResult" },
    [CTL_ERR_INVALID_ARGS] = { "invalid arguments", "ctl.InvalidArguments" },
    [CTL_ERR_UNKNOWN_CONTROLLER] = { "unknown controller", "ctl.UnknownController" },
    [CTL_ERR_TOO_LARGE] = { "payload too large", "ctl.RequestTooLarge" },
    [CTL_ERR_SHUTDOWN] = { "shutting down", "ctl.Shutdown" },
    [CTL_ERR_IO] = { "input/output error", "ctl.IOError" },
    [CTL_ERR_USAGE] = { "usage error", "ctl.UsageError" },
    [CTL_ERR_NOT_FOUND] = { "no such function", "ctl.NotFound" },
    [CTL_ERR_THROTTLED] = { "throttled", "ctl.Throttled" },
    [CTL_ERR_ACCESS_DENIED] = { "access denied", "ctl.AccessDenied" },
    [CTL_ERR_REJECTED] = { "request rejected", "ctl.Rejected" },
    [CTL_ERR_SERVICE] = { "service error", "ctl.ServiceError" },
    [CTL_ERR_NETWORK] = { "network error", "ctl.NetworkError" },
};

const char *ctl_status_str(ctl_status status)
{
    if ((size_t)status >= sizeof status_info / sizeof status_info[0])
        return "unknown status";
    return status_info[status].text;
}

const char *ctl_status_error_type(ctl_status status)
{
    if ((size_t)status >= sizeof status_info / sizeof status_info[0])
        return "ctl.Error";
    return status_info[status].type;
}
