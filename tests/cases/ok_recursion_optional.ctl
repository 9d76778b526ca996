// A struct that contains itself through an optional field (a pointer in C):
// a linked list and a doubly linked node.
struct LinkedList {
    value: int;
    next?: LinkedList;
}

struct Node {
    prev?: Node;
    next?: Node;
    payload: string;
}
