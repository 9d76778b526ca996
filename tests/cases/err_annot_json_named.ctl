// @json takes its wire name positionally, not as 'name: "..."'.
struct S {
    @json(name: "x") a: string;
}
