// A block comment that is never closed: reported at its '/*'; nothing after
// it is read, so struct T is not seen.
struct S {
    x: int;
}
/* this comment
   never ends
struct T {
    y: int;
}
