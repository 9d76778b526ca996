// A struct that contains itself through a list (directly and nested in
// another list or a map inside a list): each element is a separate value, so
// the size is finite.
struct Tree {
    name: string;
    children: list<Tree>;
    grid: list<list<Tree>>;
    forest: list<map<Tree>>;
}
