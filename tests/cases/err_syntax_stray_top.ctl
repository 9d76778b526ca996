// Tokens that start no declaration at the top level: an identifier, a lone
// ';' and a lone '}'. Each is reported.
struct A {
    x: int;
}

hello world;

;

}

struct B {
    y: int;
}
