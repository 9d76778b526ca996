// @length and @range with no bound at all, with and without parentheses.
struct S {
    @length a: string;
    @range() b: int;
}
