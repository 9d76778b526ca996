// An annotation whose argument list is not closed before the field name.
struct S {
    @length(min: 1, max: 5 name: string;
}
