/* lsp_rpc.h: JSON-RPC 2.0 messages in the base protocol of the Language
 * Server Protocol 3.17: `Content-Length: N\r\n\r\n` then N bytes of JSON,
 * read from and written to stdio streams (ctlc lsp; the fuzz target).
 *
 * Reading never trusts the peer: a header block that is malformed, a body
 * past CTLC_RPC_MAX_MESSAGE, bytes that are not UTF-8 or not JSON, and a
 * JSON value that is no JSON-RPC message each come back as an error to
 * answer (code and reason), after which reading goes on with the next
 * frame. The JSON is cJSON's. */
#ifndef CTLC_LSP_RPC_H
#define CTLC_LSP_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

/* The largest body read (bytes); a larger Content-Length is refused and
 * its bytes skipped. */
#define CTLC_RPC_MAX_MESSAGE ((size_t)64 << 20)

/* The most JSON values a body may hold: cJSON takes some 64 bytes a
 * value, so that 64 MiB of "[0,0,..." would take 2 GiB; LSP's messages hold
 * a few dozen (a document's text is one string). */
#define CTLC_RPC_MAX_VALUES ((size_t)1 << 20)

/* The longest header line and the most header lines of one frame. */
enum { CTLC_RPC_MAX_HEADER_LINE = 1024, CTLC_RPC_MAX_HEADERS = 32 };

/* Error codes of JSON-RPC 2.0 and LSP. */
enum {
    CTLC_RPC_PARSE_ERROR = -32700,
    CTLC_RPC_INVALID_REQUEST = -32600,
    CTLC_RPC_METHOD_NOT_FOUND = -32601,
    CTLC_RPC_INVALID_PARAMS = -32602,
    CTLC_RPC_INTERNAL_ERROR = -32603,
    CTLC_RPC_SERVER_NOT_INITIALIZED = -32002
};

/* A connection: both streams are borrowed. */
typedef struct ctlc_rpc {
    FILE *in, *out;
    size_t skip;        /* bytes of a refused body still to discard (the error is answered first) */
} ctlc_rpc;

typedef enum ctlc_rpc_read_status {
    CTLC_RPC_MESSAGE,   /* *msg is a JSON-RPC message (an object with "jsonrpc": "2.0") */
    CTLC_RPC_BAD,       /* the frame was refused: *code and *why say why (why is static or in
                           the buffer given) and *id is the request's id when one was read */
    CTLC_RPC_EOF        /* the input ended (between frames, or inside one) */
} ctlc_rpc_read_status;

/* Reads the next frame. CTLC_RPC_MESSAGE: *msg is the message, which the
 * caller frees with cJSON_Delete(). CTLC_RPC_BAD: *msg is NULL, *id is
 * NULL or a copy of the request's id (the caller frees it), *code is one
 * of the codes above and the reason is written into why (why_size bytes). */
ctlc_rpc_read_status ctlc_rpc_read(ctlc_rpc *rpc, cJSON **msg, cJSON **id, int *code, char *why, size_t why_size);

/* Writes msg as one frame and flushes; a byte of its strings that is not
 * UTF-8 goes out as U+FFFD, so that every frame is UTF-8. Returns false
 * when the stream failed (the peer is gone). msg is borrowed. */
bool ctlc_rpc_write(ctlc_rpc *rpc, const cJSON *msg);

/* {"jsonrpc":"2.0","id":ID,"result":RESULT}: takes result (NULL: null);
 * id is borrowed (NULL: null). */
bool ctlc_rpc_result(ctlc_rpc *rpc, const cJSON *id, cJSON *result);

/* {"jsonrpc":"2.0","id":ID,"error":{"code":CODE,"message":MESSAGE}}; id
 * is borrowed (NULL: null, for a message whose id could not be read). */
bool ctlc_rpc_error(ctlc_rpc *rpc, const cJSON *id, int code, const char *message);

/* {"jsonrpc":"2.0","method":METHOD,"params":PARAMS}: takes params. */
bool ctlc_rpc_notify(ctlc_rpc *rpc, const char *method, cJSON *params);

#endif
