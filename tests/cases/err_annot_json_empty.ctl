// @json("") gives an empty wire name, on a field and on a member.
struct S {
    @json("") a: string;
}

enum E { @json("") a }
