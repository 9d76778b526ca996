package shop;

struct Item {
    sku: string;
}

controller C {
    fn f {
        id: string;
    } -> Item
}
