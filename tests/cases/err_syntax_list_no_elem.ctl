// 'list<>' without an element type, and 'map' without '<'.
struct S {
    tags: list<>;
    attrs: map;
}
