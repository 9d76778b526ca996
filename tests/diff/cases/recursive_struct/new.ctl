package shop;

struct Tree {
    label: string;
    weight: float;
    children: list<Tree>;
    parent?: Tree;
}

controller C {
    async fn f {
        tree: Tree;
    }
}
