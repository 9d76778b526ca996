// '=' with no literal after it.
struct S {
    count: int = ;
}
