// A keyword cannot name a declaration, even where the grammar lets a keyword
// stand for an identifier (it can name fields and members).
struct map {
    x: int;
}

enum int { a, b }

controller fn {
    fn f { x: int; }
}

client uses;

struct Ok {
    struct: string;
    map: int;
}
