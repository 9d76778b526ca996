// A field whose ':' is missing between the name and the type.
struct Leed {
    id string;
    seller: string;
}
