// ctlc: --werror
// A doc block is consecutive `///` lines: after a blank line a new block
// starts, and the first one documents nothing (an error with --werror).
/// This block is cut off from its struct by the blank line below.

/// The struct's doc.
struct S { a: int; }
