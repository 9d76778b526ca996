// The same annotation twice on one thing; the note points at the first.
struct S {
    @length(min: 1) @length(max: 5) a: string;
    @deprecated @deprecated("old") b: int;
}
