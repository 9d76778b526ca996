// The same struct defined twice, the second time with other fields.
struct Leed {
    id: string;
}

struct Other {
    x: int;
}

struct Leed {
    price: int;
}
