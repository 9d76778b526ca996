// @length bounds are non-negative integers: not -1, not 1.5, not "3".
struct S {
    @length(min: -1) a: string;
    @length(max: 1.5) b: list<int>;
    @length(max: "3") c: map<int>;
}
