/* ctl/json.h: the JSON that libctl reads and writes, for generated code.
 *
 * User code does not need this header; NAME.ctl.c files include it. The
 * reader is strict RFC 8259 and keeps what a typed reader needs and cJSON
 * drops: the exact text of numbers (an int64 beyond 2^53 stays exact), the
 * byte length of strings (a decoded U+0000 is seen, not truncated), and
 * flags for strings that are not valid UTF-8. It reports syntax errors only;
 * what a string or number may hold is the typed reader's business, so the
 * error can name the field's JSON path. Nodes live in an arena. */
#ifndef CTL_JSON_H
#define CTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ctl_json_type {
    CTL_JSON_NULL,
    CTL_JSON_FALSE,
    CTL_JSON_TRUE,
    CTL_JSON_NUMBER,
    CTL_JSON_STRING,
    CTL_JSON_ARRAY,
    CTL_JSON_OBJECT
} ctl_json_type;

/* String flags. */
enum {
    CTL_JSON_HAS_NUL = 1,       /* holds U+0000 (from a \u0000 escape) */
    CTL_JSON_BAD_UTF8 = 2,      /* raw bytes that are not UTF-8 */
    CTL_JSON_LONE_SURROGATE = 4 /* a \u escape of an unpaired surrogate */
};

typedef struct ctl_json ctl_json;
struct ctl_json {
    uint8_t type;        /* ctl_json_type */
    uint8_t flags;       /* strings: CTL_JSON_* flags */
    uint8_t key_flags;   /* the member key's flags */
    uint32_t len;        /* string: bytes; number: text bytes; array, object: children */
    const char *str;     /* string: decoded, NUL-terminated; number: its text (not terminated) */
    const char *key;     /* member of an object: decoded key, NUL-terminated */
    uint32_t key_len;
    ctl_json *child;     /* array, object: first child */
    ctl_json *next;      /* next sibling */
};

struct ctl_arena;

typedef struct ctl_json_error {
    size_t offset;       /* byte offset of the error in the text */
    const char *message; /* static text */
} ctl_json_error;

/* Parses len bytes of text into a tree allocated from arena. Returns the
 * root, or NULL with *err set (a syntax error, nesting deeper than
 * CTL_JSON_MAX_DEPTH, or the arena's limit reached). Nothing is allocated
 * outside the arena; the tree lives until the arena is reset. */
#define CTL_JSON_MAX_DEPTH 128
ctl_json *ctl_json_parse(struct ctl_arena *arena, const char *text, size_t len, ctl_json_error *err);

#ifdef __cplusplus
}
#endif

#endif
