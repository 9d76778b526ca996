package shop;

struct Item {
    sku: string;
    qty: int;
}

controller C {
    async fn f {
        item: Item;
    }
}
