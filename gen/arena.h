/* arena.h: bump allocator for everything a ctlc run builds.
 *
 * The AST, decoded literals and checker tables all live in one arena that is
 * freed in one go when the run ends, so no node has an owner of its own and
 * the grammar needs no %destructor. */
#ifndef CTLC_ARENA_H
#define CTLC_ARENA_H

#include <stddef.h>
#include <stdio.h>

typedef struct ctlc_arena ctlc_arena;

/* Returns a new, empty arena, or NULL when out of memory. Free with
 * ctlc_arena_free(). */
ctlc_arena *ctlc_arena_new(void);

/* Frees the arena and every block allocated from it. NULL is a no-op. */
void ctlc_arena_free(ctlc_arena *a);

/* Returns n zeroed bytes aligned for any type, owned by the arena. When
 * memory runs out it does not return: the library call that allocated
 * returns CTLC_NOMEM instead (oom.h). So do the functions below. */
void *ctlc_alloc(ctlc_arena *a, size_t n);

/* Returns a NUL-terminated copy of the n bytes at s, owned by the arena. */
char *ctlc_strndup(ctlc_arena *a, const char *s, size_t n);

/* Returns a NUL-terminated string formatted like printf, owned by the arena. */
char *ctlc_printf(ctlc_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Returns the shortest of v's %.15g, %.16g and %.17g texts that reads back
 * as v (common/float_text.h: libctl's writers apply the same code),
 * owned by the arena. The text may lack a '.' or exponent ("2"): each
 * emitter makes it a literal of its language. */
char *ctlc_float_text(ctlc_arena *a, double v);

/* Growable arrays and in-memory files live outside the arena (they are
 * resized or handed to stdio), but run out of memory the same way. */

/* Returns p (an array of *cap elements of size bytes, or NULL with *cap 0)
 * reallocated to hold at least need elements, doubling *cap from 32. The
 * caller owns the result and frees it with free(); p is no longer valid. */
void *ctlc_grow(void *p, size_t *cap, size_t need, size_t size);

/* Opens an in-memory file like open_memstream(). After
 * ctlc_memstream_close() *text holds the bytes written and *len their
 * count. */
FILE *ctlc_memstream(char **text, size_t *len);

/* Closes a stream of ctlc_memstream(); memory that ran out while writing
 * to it is reported like any other (it does not return then). Free the
 * text with ctlc_text_free(). */
void ctlc_memstream_close(FILE *f, char **text);

/* Frees the text of a stream of ctlc_memstream() and sets it to NULL. */
void ctlc_text_free(char **text);

#endif
