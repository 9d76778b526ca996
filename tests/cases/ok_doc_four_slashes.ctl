// A `////` line is an ordinary comment, not a doc: a struct preceded only by
// `////` lines has no doc. A doc block is consecutive `///` lines, so a
// `////` line between two of them splits the block: the first part then
// documents nothing (a warning) and the struct gets the second.
//// Not a doc: four slashes.
struct NoDoc {
    //// Not a doc either.
    a: int;
}

/// Kept line one.
//// Dropped: four slashes.
/// Kept line two.
struct Mixed {
    ///// Five slashes: not a doc.
    b: int;
}
