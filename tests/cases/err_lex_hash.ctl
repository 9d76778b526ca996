// '#' is not a comment in this language.
# a shell-style comment
struct S {
    name: string;
}
