// An annotation argument written 'min 1' instead of 'min: 1'.
struct S {
    @length(min 1) name: string;
}
