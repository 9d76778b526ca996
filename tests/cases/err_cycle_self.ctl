// A struct that contains itself directly. An optional field, a list or a map
// of itself is fine (Tree).
struct Node {
    value: int;
    next: Node;
}

struct Tree {
    parent?: Tree;
    children: list<Tree>;
    named: map<Tree>;
}
