// An '@' as the last token of the file.
struct S {
    x: int;
}
@
