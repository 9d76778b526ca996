// An argument name that @length does not know, and one given twice.
struct S {
    @length(minimum: 1) a: string;
    @range(min: 1, min: 2) b: int;
}
