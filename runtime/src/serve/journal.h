/* serve/journal.h: the append-only journal of `serve`'s accepted async events.
 *
 * One file, DIR/journal, of records appended with a single write() each:
 *   A <id> <controller> <len> <ms>[ <trace>]\n<len bytes of event>\n
 *                                                          accepted (before the 202) at
 *                                                          wall-clock ms since the epoch,
 *                                                          with its trace header if any
 *   T <id> <attempt>\n                                     attempt n starts (1 = first)
 *   D <id>\n                                               ended: succeeded or dead-lettered
 * A completed write() survives the process being killed (the page cache
 * holds it); with fsync on, every record is also on disk before the call
 * returns, so it survives power loss. Replay reads the records back and
 * hands out the events that were accepted and not ended, with the number
 * of attempts that had started, so a caller can stop an event that kills
 * the process from looping across restarts, and with the time of its first
 * acceptance, from which its age counts. An A record without <ms> (a
 * journal of an earlier serve, which did not keep the time) replays with a
 * time of 0: not recorded; one without <trace> (an event without a trace,
 * or a journal of a serve before tracing) replays with none. Compaction rewrites the file with only the live
 * events (to DIR/journal.new, then rename), keeping their times.
 *
 * Not thread-safe: serve holds its lock around every call. Internal. */
#ifndef CTL_SERVE_JOURNAL_H
#define CTL_SERVE_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/private.h"

CTLI_BEGIN_PRIVATE

typedef struct ctli_journal ctli_journal;

/* Opens (creating) DIR and DIR/journal and takes an exclusive lock on it,
 * so two servers never share a journal. Returns NULL with a message in err
 * (cap bytes) on failure. Free with ctli_journal_close(). */
ctli_journal *ctli_journal_open(const char *dir, bool fsync_each, char *err, size_t cap);

/* One live event found by replay, first accepted at accepted_ms (0: the
 * record does not say), with its trace header (NULL: none). The strings
 * are borrowed for the call. */
typedef void (*ctli_journal_live_fn)(void *user, uint64_t id, const char *controller, const char *event,
                                     size_t len, int attempts_started, uint64_t accepted_ms, const char *trace);

/* Reads the journal from the start and calls fn for each event accepted
 * and not ended, in acceptance order. A truncated record at the end (a
 * write cut short) ends the replay there and is cut off, as is anything
 * after damage; the bytes cut off are appended to DIR/journal.damaged. Returns the number
 * of live events, or -1 with err set when the file cannot be read. Call
 * once, right after open; ids handed out later are above every id read. */
long ctli_journal_replay(ctli_journal *j, ctli_journal_live_fn fn, void *user, char *err, size_t cap);

/* The longest controller name a record holds (accept refuses longer). */
#define CTLI_JOURNAL_MAX_NAME 127

/* Parses the records of a journal held in text (size bytes, any bytes,
 * no NUL needed) and calls fn for each event accepted and not ended, in
 * acceptance order. Reads only whole records, exactly as the writers print
 * them, with the ids of A records strictly increasing: it stops at the
 * first byte that does not start one. Writes into text (a NUL after each
 * live event's name and bytes), which fn's strings borrow. Sets *whole to
 * the bytes of whole records and *next_id above every id read. Returns the
 * number of live events, or -1 when out of memory. No I/O: replay's parser,
 * and the fuzz target's (tests/fuzz/fuzz_journal.c). */
long ctli_journal_parse(char *text, size_t size, ctli_journal_live_fn fn, void *user, size_t *whole,
                       uint64_t *next_id);

/* Appends the acceptance of an event at accepted_ms (wall clock) with its
 * trace header (NULL: none; one that breaks codec/ctx.h's rule is left
 * out, the event kept) and sets *id to its new id. Returns 0
 * once the record is written (and synced with fsync_each), -1 otherwise
 * (then the event must be refused: it would not survive a restart), also
 * for a controller name replay could not read back (EINVAL). */
int ctli_journal_accept(ctli_journal *j, const char *controller, const char *event, size_t len,
                        uint64_t accepted_ms, const char *trace, uint64_t *id);

/* Appends "attempt n of event id starts" / "event id ended". 0 or -1. */
int ctli_journal_attempt(ctli_journal *j, uint64_t id, int attempt);
int ctli_journal_done(ctli_journal *j, uint64_t id);

/* True when the file has grown well past what its live events need. */
bool ctli_journal_wants_compaction(const ctli_journal *j);

/* Rewrites the journal with only the live events, which next() yields one
 * by one (returns false at the end; the pointers are borrowed until the
 * next call). 0 on success; -1 (errno set) leaves the old file in use, and
 * wants_compaction false until the file has grown four times again. */
typedef bool (*ctli_journal_next_fn)(void *user, uint64_t *id, const char **controller, const char **event,
                                    size_t *len, int *attempts_started, uint64_t *accepted_ms,
                                    const char **trace);
int ctli_journal_compact(ctli_journal *j, ctli_journal_next_fn next, void *user);

/* Closes the file and releases the lock. NULL is a no-op. */
void ctli_journal_close(ctli_journal *j);

CTLI_END_PRIVATE

#endif
