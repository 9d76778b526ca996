// Numbers are written as in JSON: no leading zero, for ints and floats alike.
struct S {
    a: int = 007;
    b: float = -01.5;
}
