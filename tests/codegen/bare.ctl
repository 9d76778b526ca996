// bare.ctl: a spec without a package (no prefix on C names), names that are
// C keywords (a trailing '_' in C), deprecation, doc comments holding "*/",
// an empty controller and an async-only one, enum members that are keywords,
// Lambda's async settings (both on worker, one on idle), destinations (a
// controller and an external target on worker), a @records function and an
// @idempotent one (its key through a field named like a C keyword).

/// Kinds of things. A doc with */ inside must not end the C comment.
enum Kind { struct, map, @deprecated("gone") old }

/// A struct named like a C keyword: `double_` in C.
struct double {
    /// A field named `int` is `int_` in C.
    int: int;
    char?: string;
    @deprecated("use kind") legacy?: bool;
    kind: Kind = map;
}

@deprecated("replaced by worker")
@max_event_age(60)
controller idle {}

/// Background work.
@retries(0)
@max_event_age(3600)
@on_failure(sink)
@on_success(sqs: "done-queue")
controller worker {
    /// Runs a job.
    async fn run { d: double; when?: int; }
    @deprecated fn old { x: int; } -> { y: int; }
    /// Runs once per double's int.
    @idempotent(key: "d.int", expires: 600) fn once { d: double; } -> { n: int; }
}

/// Receives worker's failure records.
controller sink {
    /// One record.
    @records async fn got {}
}
