// @json with a number, an identifier, and two strings.
struct S {
    @json(1) a: string;
    @json(name) b: string;
    @json("x", "y") c: string;
}
