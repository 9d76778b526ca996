package shop;

struct Thing {
    sku: string;
    qty: int;
}

controller C {
    async fn f {
        item: Thing;
    }
}
