/* serve/journal.h: the append-only journal of `serve`'s accepted async events.
 *
 * One file, DIR/journal, of frames appended with a single writev() each:
 *   J <len> <crc>\n<record>      <len> bytes of record, whose CRC-32C is <crc>
 *                                (8 lowercase hex digits)
 * around one of these records:
 *   A <id> <controller> <len> <ms>[ <trace>]\n<len bytes of event>\n
 *                                accepted (before the 202) at wall-clock ms
 *                                since the epoch, with its trace header if any
 *   T <id> <attempt>\n           attempt n starts (1 = first)
 *   D <id>\n                     ended: succeeded or dead-lettered
 * The checksum lets replay tell a whole record from a torn or flipped one,
 * skip the damage and find the next whole frame: every record that
 * verifies is kept, in whatever order the frames come (duplicates: the
 * first). A frame whose "\n"s all became "\r\n" (a text-mode copy) still
 * verifies once read back. An append that fails is cut off again before
 * anything else is appended. A completed write() survives the process
 * being killed (the page cache holds it); with fsync on, every record is
 * also on disk before the call returns, so it survives power loss. Replay
 * hands out the events that were accepted and not ended, with the number
 * of attempts that had started, so a caller can stop an event that kills
 * the process from looping across restarts, and with the time of its first
 * acceptance, from which its age counts. An A record without <ms> replays
 * with a time of 0: not recorded; one without <trace> with none. A journal
 * of an earlier serve (records without frames) is read as that serve read
 * it, and rewritten framed by the start's compaction. Compaction rewrites
 * the file with only the live events (to DIR/journal.new, then rename),
 * keeping their times.
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
 * and not ended, in acceptance order (ctli_journal_parse). Damaged bytes
 * are reported on stderr (ranges, count) and appended to
 * DIR/journal.damaged (synced) before anything changes the file; then
 * damage at the end (a write cut short) is cut off; damage in the middle
 * stays until the next compaction. Returns the number of live events, or
 * -1 with err set when the file cannot be read or its damage cannot be
 * copied aside (the file then left as it is, no event handed out). Call
 * once, right after open; ids handed out later are above every id read. */
long ctli_journal_replay(ctli_journal *j, ctli_journal_live_fn fn, void *user, char *err, size_t cap);

/* The longest controller name a record holds (accept refuses longer). */
#define CTLI_JOURNAL_MAX_NAME 127

/* A range of a journal's bytes, [start, end). */
typedef struct ctli_journal_range {
    size_t start, end;
} ctli_journal_range;

/* What a parse found besides the live events. */
typedef struct ctli_journal_scan {
    size_t records;               /* whole records kept (duplicates included) */
    size_t crlf;                  /* of which read back from CRLF line endings */
    size_t duplicates;            /* A records of an id already read: the first kept */
    bool legacy;                  /* no frame: a journal of an earlier serve */
    ctli_journal_range *damaged;  /* the bytes skipped, in file order (owned; scan_free) */
    size_t n_damaged, damaged_bytes;
    uint64_t next_id;             /* above every id read (A, T and D records) */
} ctli_journal_scan;

/* Parses the records of a journal held in text (size bytes, any bytes,
 * no NUL needed) and calls fn for each event accepted and not ended, in
 * id (acceptance) order. Keeps every frame whose checksum verifies and
 * whose record reads whole, wherever it is; the bytes between are damage,
 * skipped by looking for the next frame that verifies, and listed in
 * scan->damaged. A text with no frame at all is a journal of an earlier
 * serve (unframed records): read up to its first damage, the rest listed.
 * Writes into text (NULs after names and events, CRLF frames read back)
 * but never into a damaged range; fn's strings borrow it. Returns the
 * number of live events, or -1 when out of memory. Free scan with
 * ctli_journal_scan_free() either way. No I/O: replay's parser, and the
 * fuzz target's (tests/fuzz/fuzz_journal.c). */
long ctli_journal_parse(char *text, size_t size, ctli_journal_live_fn fn, void *user, ctli_journal_scan *scan);
void ctli_journal_scan_free(ctli_journal_scan *scan);

/* The frame around a record: "J <len> <crc>\n" then len bytes, the record,
 * whose CRC32C is <crc> (8 lowercase hex digits); its head is at most this
 * long. */
#define CTLI_JOURNAL_FRAME_MAX_HEAD 40

/* CRC-32C (Castagnoli) of n bytes at p, continuing crc (0 to start). */
uint32_t ctli_journal_crc32c(uint32_t crc, const void *p, size_t n);

/* Whether c may stand in a record's controller name (or trace): printable
 * ASCII but space. The one rule the writer checks and the parser reads by. */
bool ctli_journal_name_byte(char c);

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
