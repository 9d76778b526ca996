// Latin-1 text in a string literal (0xe9, not UTF-8).
struct S {
    a: string = "café";
}
