// A named annotation argument without its value.
struct S {
    @range(min: ) count: int;
}
