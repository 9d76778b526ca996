// A `////` line is an ordinary comment, not a doc: a struct preceded only by
// `////` lines has no doc, and `////` lines mixed into a doc block add nothing
// to it.
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
