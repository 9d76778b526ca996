// A C habit: ';' after a struct's closing '}'.
struct A {
    x: int;
};

struct B {
    y: int;
}
