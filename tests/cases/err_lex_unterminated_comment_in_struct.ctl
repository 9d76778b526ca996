// An unclosed block comment inside a struct: the comment swallows the '}'.
// Only the comment is reported: the end of file inside the struct that
// follows from it is not reported again.
struct S {
    x: int; /* the rest
}
