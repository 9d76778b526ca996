package shop;

struct Tree {
    label: string;
    children: list<Tree>;
    parent?: Tree;
}

controller C {
    async fn f {
        tree: Tree;
    }
}
