// An out-of-range integer as an annotation argument.
struct S {
    @range(max: 99999999999999999999) a: int;
}
