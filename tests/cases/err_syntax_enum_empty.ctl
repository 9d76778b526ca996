// An enum needs at least one member.
enum Trade {}

struct S {
    x: int;
}
