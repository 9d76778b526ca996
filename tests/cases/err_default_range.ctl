// Defaults outside their field's @range, int and float, below and above.
struct S {
    @range(min: 0) a: int = -1;
    @range(max: 10) b: int = 11;
    @range(min: 0.5, max: 1.5) c: float = 2;
    @range(min: 0, max: 10) ok: int = 10;
}
