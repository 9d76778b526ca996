// @length and @range take named arguments only.
struct S {
    @length(1, 5) a: string;
    @range(0) b: int;
}
