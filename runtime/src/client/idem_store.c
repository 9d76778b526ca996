/* client/idem_store.c: the local idempotency store, one SQLite file.
 *
 * Why SQLite and not serve's journal: the store is shared by the
 * in-process client and serve, and by several processes on one file (two
 * serves, a test that opens it); its operations are a compare-and-set on
 * one key (claim) and an update, which a transaction gives, with expiry as
 * a comparison in the same statement. The journal is an append-only log of
 * events replayed at start: a key table on top of it would be a second
 * database written by hand. WAL keeps readers off writers' backs;
 * synchronous=NORMAL in WAL mode loses nothing to a killed process (a
 * commit is in the WAL file when it returns; only a power cut may lose the
 * last ones), which is what the store must survive: a SIGKILL of serve.
 *
 * The table holds Powertools' item layout, so the DynamoDB store maps onto
 * it: id, status, expiration and in_progress_expiration (ms here, s in
 * DynamoDB), validation, data.
 *
 * Expired rows are purged here, as DynamoDB's TTL does there: a pass at
 * open and one every CTLI_IDEM_PURGE_EVERY claims, each deleting at most
 * CTLI_IDEM_PURGE_ROWS rows (a claim never waits on a long delete), more
 * than the claims in between add, so a busy store keeps up. A claim row's
 * expiration is its in_progress_expiration (the INSERT sets both), so one
 * index on expiration finds both kinds. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/clock.h"
#include "client/idem_store.h"

enum { ST_IN_PROGRESS = 1, ST_COMPLETED = 2 };

/* How long a statement waits for another process's write lock. */
enum { BUSY_MS = 10000 };

/* The statements, prepared once at open (SQLITE_PREPARE_PERSISTENT): a
 * claim is then binds and steps, no SQL parsed. Each is reset after its
 * use, so none keeps a read transaction open. */
enum { Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_READ, Q_CLAIM, Q_COMPLETE, Q_RELEASE, Q_PURGE, NQ };
static const char *const sql[NQ] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_READ] = "SELECT status, validation, in_progress_expiration, expiration, data FROM idempotency WHERE id = ?1",
    [Q_CLAIM] = "INSERT OR REPLACE INTO idempotency (id, status, validation, in_progress_expiration, expiration, "
                "data) VALUES (?1, 1, ?2, ?3, ?3, NULL)",
    [Q_COMPLETE] = "UPDATE idempotency SET status = 2, data = ?3, expiration = ?4 "
                   "WHERE id = ?1 AND status = 1 AND in_progress_expiration = ?2",
    [Q_RELEASE] = "DELETE FROM idempotency WHERE id = ?1 AND status = 1 AND in_progress_expiration = ?2",
    [Q_PURGE] = "DELETE FROM idempotency WHERE rowid IN (SELECT rowid FROM idempotency "
                "WHERE expiration <= ?1 AND (status = 2 OR in_progress_expiration <= ?2) LIMIT ?3)",
};

struct ctli_idem_sqlite {
    sqlite3 *db;                /* opened without SQLite's own mutex: every use holds mu */
    pthread_mutex_t mu;         /* one statement sequence at a time on db (other processes: SQLite's locks) */
    sqlite3_stmt *q[NQ];
    unsigned claims;            /* claims since the last purge pass (under mu) */
    ctli_idem_store iface;
};

/* Steps statement i once (mu held) and resets it: its result code. */
static int step_once(ctli_idem_sqlite *s, int i)
{
    int rc = sqlite3_step(s->q[i]);
    sqlite3_reset(s->q[i]);
    sqlite3_clear_bindings(s->q[i]);
    return rc;
}

static void set_err(char *err, size_t errlen, sqlite3 *db, const char *what)
{
    snprintf(err, errlen, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        set_err(err, errlen, db, sql);
        return -1;
    }
    return 0;
}

/* One purge pass, mu held: at most max_rows rows, completions expired by
 * now_ms and claims expired CTLI_IDEM_PURGE_GRACE_MS before it. A claim
 * just past its expiration is kept: its handler may still finish (past a
 * deadline that did not stop it) and complete the key, which an UPDATE of
 * a deleted row would lose. It does not wait for another process's write
 * lock (the claim before it has its answer already): a busy file skips the
 * pass. The number deleted, or -1 with err set. */
static int purge_locked(ctli_idem_sqlite *s, int64_t now_ms, int max_rows, char *err, size_t errlen)
{
    sqlite3_stmt *q = s->q[Q_PURGE];
    sqlite3_busy_timeout(s->db, 0);
    sqlite3_bind_int64(q, 1, now_ms);
    sqlite3_bind_int64(q, 2, now_ms - CTLI_IDEM_PURGE_GRACE_MS);
    sqlite3_bind_int(q, 3, max_rows);
    int rc = sqlite3_step(q);
    int n = rc == SQLITE_DONE ? sqlite3_changes(s->db) : -1;
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    s->claims = 0;
    if (n < 0)
        snprintf(err, errlen, "purging expired rows: %s", sqlite3_errstr(rc));
    sqlite3_busy_timeout(s->db, BUSY_MS);
    return n;
}

int ctli_idem_sqlite_purge(ctli_idem_sqlite *s, int64_t now_ms, int max_rows, char *err, size_t errlen)
{
    pthread_mutex_lock(&s->mu);
    int n = purge_locked(s, now_ms, max_rows, err, errlen);
    pthread_mutex_unlock(&s->mu);
    return n;
}

static ctli_idem_claim claim(void *self, const char *key, const char *validation, int64_t now_ms,
                             int64_t in_progress_until_ms, char **result, size_t *len, char *err, size_t errlen)
{
    ctli_idem_sqlite *s = self;
    ctli_idem_claim out = CTLI_IDEM_FAILED;
    *result = NULL;
    *len = 0;
    pthread_mutex_lock(&s->mu);
    /* IMMEDIATE: the write lock first, so two processes cannot both see the
     * key free and both claim it. */
    int rc = step_once(s, Q_BEGIN);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "taking the store's write lock: %s", sqlite3_errstr(rc));
        pthread_mutex_unlock(&s->mu);
        return CTLI_IDEM_FAILED;
    }
    sqlite3_stmt *q = s->q[Q_READ];
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    bool free_key = true;
    if (rc == SQLITE_ROW) {
        int status = sqlite3_column_int(q, 0);
        const char *v = (const char *)sqlite3_column_text(q, 1);
        int64_t ip_exp = sqlite3_column_int64(q, 2), exp = sqlite3_column_int64(q, 3);
        bool live = status == ST_COMPLETED ? exp > now_ms : ip_exp > now_ms;
        if (live) {
            free_key = false;
            if (!v || strcmp(v, validation) != 0) {
                out = CTLI_IDEM_MISMATCH;
            } else if (status == ST_IN_PROGRESS) {
                out = CTLI_IDEM_IN_PROGRESS;
            } else {
                const void *data = sqlite3_column_blob(q, 4);
                size_t n = (size_t)sqlite3_column_bytes(q, 4);
                char *copy = malloc(n + 1);
                if (!copy) {
                    snprintf(err, errlen, "out of memory copying a stored result of %zu bytes", n);
                    sqlite3_reset(q);
                    goto rollback;
                }
                if (n)
                    memcpy(copy, data, n);
                copy[n] = '\0';
                *result = copy;
                *len = n;
                out = CTLI_IDEM_DONE;
            }
        }
    } else if (rc != SQLITE_DONE) {
        set_err(err, errlen, s->db, "reading a key");
        sqlite3_reset(q);
        goto rollback;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (free_key) {
        q = s->q[Q_CLAIM];
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, validation, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, in_progress_until_ms);
        rc = sqlite3_step(q);
        if (rc != SQLITE_DONE)
            set_err(err, errlen, s->db, "claiming a key");
        sqlite3_reset(q);
        sqlite3_clear_bindings(q);
        if (rc != SQLITE_DONE)
            goto rollback;
        out = CTLI_IDEM_CLAIMED;
    }
    if ((rc = step_once(s, Q_COMMIT)) != SQLITE_DONE) {
        snprintf(err, errlen, "committing a claim: %s", sqlite3_errstr(rc));
        free(*result);
        *result = NULL;
        *len = 0;
        goto rollback;
    }
    /* After the claim's commit, in a transaction of its own: a purge that
     * fails (the file busy) is not the claim's failure, and the next pass
     * deletes what this one left. */
    if (++s->claims >= CTLI_IDEM_PURGE_EVERY) {
        char ignored[256];
        purge_locked(s, now_ms, CTLI_IDEM_PURGE_ROWS, ignored, sizeof ignored);
    }
    pthread_mutex_unlock(&s->mu);
    return out;
rollback:
    step_once(s, Q_ROLLBACK);
    pthread_mutex_unlock(&s->mu);
    return CTLI_IDEM_FAILED;
}

/* Statement i (Q_COMPLETE or Q_RELEASE) on one key and the claim that
 * expires at claimed_until (codec/idem.h): 0 done, 1 no row was the
 * caller's claim, -1 failed; with its message. */
static int update(ctli_idem_sqlite *s, int i, const char *key, int64_t claimed_until, const char *data, size_t len,
                  int64_t expires, const char *what, char *err, size_t errlen)
{
    pthread_mutex_lock(&s->mu);
    sqlite3_stmt *q = s->q[i];
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, claimed_until);
    if (data) {
        sqlite3_bind_blob64(q, 3, len ? data : "", len, SQLITE_STATIC);
        sqlite3_bind_int64(q, 4, expires);
    }
    int rc = sqlite3_step(q), out = 0;
    if (rc != SQLITE_DONE) {
        set_err(err, errlen, s->db, what);
        out = -1;
    } else if (sqlite3_changes(s->db) == 0) {
        snprintf(err, errlen, "%s: the claim is no longer this delivery's (it expired, and another delivery took "
                 "the key over, completed or released it)", what);
        out = 1;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    pthread_mutex_unlock(&s->mu);
    return out;
}

static int complete(void *self, const char *key, int64_t claimed_until_ms, const char *result, size_t len,
                    int64_t expires_at_ms, char *err, size_t errlen)
{
    return update(self, Q_COMPLETE, key, claimed_until_ms, result ? result : "", len, expires_at_ms,
                  "completing a key", err, errlen);
}

static int release(void *self, const char *key, int64_t claimed_until_ms, char *err, size_t errlen)
{
    return update(self, Q_RELEASE, key, claimed_until_ms, NULL, 0, 0, "releasing a key", err, errlen) < 0 ? -1 : 0;
}

static void close_db(ctli_idem_sqlite *s)
{
    for (int i = 0; i < NQ; i++)
        sqlite3_finalize(s->q[i]);
    sqlite3_close(s->db);
}

ctli_idem_sqlite *ctli_idem_sqlite_open(const char *path, char *err, size_t errlen)
{
    ctli_idem_sqlite *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory opening the idempotency store");
        return NULL;
    }
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(err, errlen, "cannot open the idempotency store %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sqlite3_close(s->db);
        free(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, BUSY_MS);
    if (exec(s->db, "PRAGMA journal_mode=WAL", err, errlen) || exec(s->db, "PRAGMA synchronous=NORMAL", err, errlen) ||
        exec(s->db,
             "CREATE TABLE IF NOT EXISTS idempotency (id TEXT PRIMARY KEY, status INTEGER NOT NULL, "
             "validation TEXT, in_progress_expiration INTEGER NOT NULL, expiration INTEGER NOT NULL, data BLOB)",
             err, errlen) ||
        exec(s->db, "CREATE INDEX IF NOT EXISTS idempotency_expiration ON idempotency (expiration)", err, errlen)) {
        sqlite3_close(s->db);
        free(s);
        return NULL;
    }
    for (int i = 0; i < NQ; i++)
        if (sqlite3_prepare_v3(s->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->q[i], NULL) != SQLITE_OK) {
            set_err(err, errlen, s->db, sql[i]);
            close_db(s);
            free(s);
            return NULL;
        }
    pthread_mutex_init(&s->mu, NULL);
    /* What expired while no process had the file open. A pass that fails
     * does not fail the open: the claims' passes go on from here. */
    char ignored[256];
    ctli_idem_sqlite_purge(s, (int64_t)ctli_wall_ms(), CTLI_IDEM_PURGE_ROWS, ignored, sizeof ignored);
    s->iface = (ctli_idem_store){ s, claim, complete, release };
    return s;
}

const ctli_idem_store *ctli_idem_sqlite_store(ctli_idem_sqlite *s)
{
    return s ? &s->iface : NULL;
}

void ctli_idem_sqlite_close(ctli_idem_sqlite *s)
{
    if (!s)
        return;
    close_db(s);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
