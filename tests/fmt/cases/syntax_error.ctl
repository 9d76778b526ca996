struct A {
    x: int
    y: string;
}
enum E { }
