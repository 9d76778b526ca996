// A struct that contains itself through a map, and one through a map of
// lists.
struct Dir {
    name: string;
    entries: map<Dir>;
    groups: map<list<Dir>>;
}
