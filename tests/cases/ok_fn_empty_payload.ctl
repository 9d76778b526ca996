// Functions with an empty payload `{}`: plain without result, plain with an
// inline or named result, async; also `{ }` with blanks and a comment.
struct Pong { at: string; }

controller empty {
    fn ping {}
    fn ping2 { } -> { at: string; }
    fn ping3 { /* nothing */ } -> Pong
    async fn poke {}
}

/// An empty struct is fine too.
struct Nothing {}
