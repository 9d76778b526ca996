// Names are case-sensitive: 'leed' is not 'Leed'.
struct Leed {
    id: string;
}

struct Order {
    item: leed;
}
