// Defaults that do not fit an int field: a string, a bool.
struct S {
    a: int = "1";
    b: int = false;
}
