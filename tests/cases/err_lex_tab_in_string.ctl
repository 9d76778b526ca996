// A raw tab inside a string literal (it must be written \t).
struct S {
    a: string = "a	b";
}
