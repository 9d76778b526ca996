package common;

struct Item {
    sku: string;
    qty: int;
}
