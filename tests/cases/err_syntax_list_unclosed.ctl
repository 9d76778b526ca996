// 'list<int' with the closing '>' missing.
struct S {
    tags: list<int;
    name: string;
}
