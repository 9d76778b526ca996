// Plain comments between a doc block and what it documents do not detach the
// doc: `//` and `/* */` comments are skipped like blanks.
/// The doc of Thing.
// an ordinary comment in between
/* and a block comment */
struct Thing {
    /// The doc of x.
    /* a block comment in between */
    x: int;
}
