// Defaults that do not fit a float field. (An integer does fit: c is fine.)
struct S {
    a: float = "1.5";
    b: float = true;
    c: float = 3;
}
