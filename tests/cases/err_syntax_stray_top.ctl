// Tokens that start no declaration at the top level: an identifier, a lone
// ';' and a lone '}'. Each should be reported. (KNOWN BUG: only the first is;
// the other two fall in the three tokens lemon mutes after a resync.)
struct A {
    x: int;
}

hello world;

;

}

struct B {
    y: int;
}
