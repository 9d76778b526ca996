package shop;

struct Item {
    sku: string;
    qty: int;
}

controller C {
    fn f {
        id: string;
    } -> {
        sku: string;
        qty: int;
    }
}
