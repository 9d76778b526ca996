// An '@' that is not followed by the annotation's name.
struct S {
    @(min: 1) name: string;
}
