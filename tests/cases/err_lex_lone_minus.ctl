// A '-' that is not part of a number starts no token.
struct S {
    count: int = - 1;
}
