// A high surrogate with no low surrogate after it.
struct S {
    a: string = "x\ud800y";
}
