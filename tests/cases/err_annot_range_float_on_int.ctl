// A float bound on an int field; a string or bool bound on a float field.
struct S {
    @range(min: 0.5) a: int;
    @range(max: "10") b: float;
    @range(min: true) c: float;
}
