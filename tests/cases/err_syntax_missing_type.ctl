// A field with ':' but no type: "expected a type, found ';'".
struct Leed {
    id: ;
    seller: string;
}
