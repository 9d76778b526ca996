package common;

struct Item {
    @length(max: 8) sku: string;
}
