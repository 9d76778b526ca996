// Defaults that do not fit a bool field: 0/1 and strings are not booleans.
struct S {
    a: bool = 1;
    b: bool = "true";
    c: bool = yes;
}
