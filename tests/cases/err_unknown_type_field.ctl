// A field of a type that is defined nowhere.
struct Leed {
    id: string;
    seller: Seller;
}
