// Every scalar type, in a struct, in a payload and in an inline result.
struct Scalars {
    s: string;
    i: int;
    f: float;
    b: bool;
    j: json;
}

controller scalars {
    fn echo {
        s: string;
        i: int;
        f: float;
        b: bool;
        j: json;
    } -> {
        s: string;
        i: int;
        f: float;
        b: bool;
        j: json;
    }
}
