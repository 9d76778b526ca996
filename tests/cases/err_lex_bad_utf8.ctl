// A byte that is not UTF-8 (0xff) in a comment: "cafÿ".
struct S {
    a: int;
}
