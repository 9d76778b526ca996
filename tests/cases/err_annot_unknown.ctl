// Unknown annotations on a declaration, a field, a member and a function.
@foo
struct S {
    @required x: int;
}

enum E { @Json("a") a }

controller c {
    @retry(3) fn f { x: int; }
}
