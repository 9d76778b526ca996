// @json without its wire name, with and without parentheses.
struct S {
    @json a: string;
    @json() b: string;
}
