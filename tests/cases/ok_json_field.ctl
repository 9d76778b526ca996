// @json on fields: wire names with a dash, a dot, spaces, upper case, non-ASCII
// text and escapes; two fields swapping names (wire names stay unique); on a
// payload and a result field, on an optional field, together with other
// annotations.
struct Person {
    @json("first-name") first_name: string;
    @json("last-name") last_name: string;
    @json("e.mail") email?: string;
    @json("Display Name") display: string;
    @json("größe") size: int;
    @json("tab\there") tabbed: string;
    @json("b") a: int;
    @json("a") b: int;
    @json("function") function: string;
    @json("x-count") @range(min: 0) count: int = 0;
}

controller people {
    fn rename {
        @json("person-id") id: string;
        @length(min: 1) @json("new-name") name: string;
    } -> {
        @json("old-name") old?: string;
    }
}
