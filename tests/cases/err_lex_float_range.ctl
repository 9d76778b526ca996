// A float literal beyond the range of a double, positive and negative.
struct S {
    a: float = 1e309;
    b: float = -1e309;
}
