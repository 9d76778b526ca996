// @range on a string field and on a list of ints (it bounds numbers, not
// their containers).
struct S {
    @range(min: 0) a: string;
    @range(min: 0) b: list<int>;
}
