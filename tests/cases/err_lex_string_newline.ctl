// A string literal cannot span lines: the first line's part is unterminated
// and the second line's '"' opens another unterminated string. (Two errors
// for one mistake; the second is a follow-on.)
struct S {
    a: string = "one
two";
    b: int;
}
