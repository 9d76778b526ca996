// @range with min greater than max, for ints and for floats (mixed literals
// too).
struct S {
    @range(min: 10, max: -10) a: int;
    @range(min: 1.5, max: 1.25) b: float;
    @range(min: 2, max: 1.5) c: float;
}
