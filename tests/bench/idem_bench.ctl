// idem_bench.ctl: the spec of idem_bench.c, one controller whose functions
// differ only in @idempotent, so the difference of their costs is what the
// claim and the completion add to an invocation.
package ib;

controller bench {
    /// Answers its id: the handler-less dispatch cost.
    fn plain { id: string; seller: string; } -> { id: string; }

    /// The same, idempotent on its id.
    @idempotent(key: "id")
    fn once { id: string; seller: string; } -> { id: string; }
}
