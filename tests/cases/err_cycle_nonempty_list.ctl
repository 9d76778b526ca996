// A list that must hold an element of its own struct is a cycle too: no
// Tree could ever be written. A list that may be empty, or an optional
// field, breaks the cycle.
struct Tree {
    @length(min: 1) kids: list<Tree>;
}

struct Forest {
    @length(min: 2, max: 8) groves: map<Forest>;
}

struct Fine {
    @length(max: 4) kids: list<Fine>;
    @length(min: 1) next?: list<Fine>;
    @length(min: 0) more: list<Fine>;
}
