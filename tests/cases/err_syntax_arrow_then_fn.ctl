// '->' with nothing after it, followed by the next function: the error is
// on 'fn' and says what a result may be.
controller db {
    fn f { x: int; } ->
    fn g { y: int; }
}
