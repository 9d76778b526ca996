// '\q' is not a JSON escape; the caret is on the backslash.
struct S {
    name: string = "a\qb";
}
