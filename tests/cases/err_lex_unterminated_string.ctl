// A string literal that runs to the end of its line: one error, no follow-on
// syntax errors for the rest of that field.
struct S {
    name: string = "abc;
    other: int;
}
