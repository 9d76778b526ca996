// Mutually recursive structs broken by a list, a map or an optional field
// somewhere on the cycle, while the other edges are required inline fields;
// and a required chain A -> B -> C without a cycle. Also a recursive struct
// in a payload and a result.
struct Employee {
    name: string;
    team: Team;
}

struct Team {
    members: list<Employee>;
}

struct Folder {
    meta: FolderMeta;
}

struct FolderMeta {
    parent?: Folder;
}

struct Graph {
    root: GraphNode;
}

struct GraphNode {
    edges: map<Graph>;
}

struct A { b: B; }
struct B { c: C; }
struct C { leaf: string; }

controller org {
    fn team { lead: Employee; } -> { team: Team; }
}
