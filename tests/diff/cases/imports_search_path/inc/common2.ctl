package common;

struct Item {
    @length(max: 4) sku: string;
}
