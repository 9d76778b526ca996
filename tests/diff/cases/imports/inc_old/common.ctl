package common;

struct Item {
    sku: string;
}
