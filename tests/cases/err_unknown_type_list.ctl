// Unknown element types in a list, a map and a list of lists.
struct Leed {
    tags: list<Tag>;
    attrs: map<Attr>;
    grid: list<list<Cell>>;
}
