// @length with min greater than max. (Equal is fine.)
struct S {
    @length(min: 5, max: 3) a: string;
    @length(max: 2, min: 9) b: list<int>;
    @length(min: 4, max: 4) ok: string;
}
