// servetest.ctl: a controller for serve's tests: a no-op for the
// benchmark, and handlers that fail, crash or hang on purpose; and
// controllers with Lambda's async settings (@retries, @max_event_age), and
// @idempotent functions.
package servetest;

/// Handlers that misbehave on purpose.
controller servetest {
    /// Returns at once.
    fn noop {} -> {
        /// Always true.
        ok: bool;
    }

    /// Answers bytes letters: a small call with a large answer.
    fn big {
        /// The length of the answer's pad.
        @range(min: 0, max: 6000000) bytes: int;
    } -> {
        /// bytes times 'x'.
        pad: string;
    }

    /// Fails with the errorType servetest.Failed and the given message.
    fn fail {
        /// The errorMessage.
        why: string;
    }

    /// Takes the process down (abort), as a crashing handler does.
    async fn crash {
        /// Written to the record file before the crash.
        tag: string;
    }

    /// Never returns.
    fn hang {
        /// Written to the record file when it starts, when given.
        tag?: string;
    }

    /// Returns at once, or never when hang is set: a quick function that
    /// hangs one day.
    fn maybeHang {
        /// Never return.
        hang: bool;
    }

    /// Never returns (async).
    async fn hangEvent {
        /// Written to the record file when it starts.
        tag: string;
    }

    /// Appends the tag to the record file ($SERVETEST_OUT).
    async fn record {
        /// What to append.
        tag: string;
    }
}

/// Fails every event; never retried (Lambda's MaximumRetryAttempts 0).
@retries(0)
controller retry0 {
    /// Appends the tag to the record file, then fails.
    async fn fail { tag: string; }
}

/// Fails every event; retried once.
@retries(1)
controller retry1 {
    /// Appends the tag to the record file, then fails.
    async fn fail { tag: string; }
}

/// Fails every event; retried twice (Lambda's default, stated).
@retries(2)
controller retry2 {
    /// Appends the tag to the record file, then fails.
    async fn fail { tag: string; }
}

/// Events older than a minute are not run.
@max_event_age(60)
controller aged {
    /// Appends the tag to the record file.
    async fn record { tag: string; }
}

/// Fails every event, retried once; its failure record goes to records.
@retries(1)
@on_failure(records)
controller dest_fail {
    /// Appends the tag to the record file, then fails.
    async fn fail { tag: string; }
}

/// Events older than a minute are not run; their records go to records.
@max_event_age(60)
@on_failure(records)
controller dest_aged {
    /// Appends the tag to the record file.
    async fn record { tag: string; }
}

/// Fails every event, never retried; its record goes to an SQS queue
/// (locally, the file sqs-serve-failures.jsonl).
@retries(0)
@on_failure(sqs: "serve-failures")
controller dest_file {
    /// Appends the tag to the record file, then fails.
    async fn fail { tag: string; }
}

/// Succeeds; its success record goes to records.
@on_success(records)
controller dest_ok {
    /// Appends the tag to the record file.
    async fn record { tag: string; }
}

/// Receives the invocation records of the dest_ controllers.
controller records {
    /// Appends the record, as one JSON line of its fields, to
    /// $SERVETEST_RECORDS.
    @records async fn take {}
}

/// @idempotent functions: a duplicate delivery does not run the handler.
controller idem {
    /// Appends the tag to the record file, once per id.
    @idempotent(key: "id")
    async fn once { id: string; tag: string; }

    /// A fresh stamp on every run: a duplicate gets the first one.
    @idempotent
    fn stamp { id: string; } -> { at: int; }
}

/// A json field: its cJSON tree counts in a call's memory reservation.
controller jsonfield {
    /// Answers how many items the top of the document holds.
    fn count { doc: json; } -> { items: int; }
}
