// '->' with nothing after it, followed by the next function: the keyword
// 'fn' is taken as the result's struct name, so the error lands on 'g'.
// (POOR MESSAGE: ctlc says it expected 'fn' while an 'fn' is right there;
// it should say '->' wants '{' or a struct name and found 'fn'.)
controller db {
    fn f { x: int; } ->
    fn g { y: int; }
}
