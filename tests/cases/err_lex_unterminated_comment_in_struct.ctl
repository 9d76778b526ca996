// An unclosed block comment inside a struct: the comment swallows the '}'.
// (CASCADE: ctlc also reports end of file inside the struct, a follow-on of
// the unclosed comment.)
struct S {
    x: int; /* the rest
}
