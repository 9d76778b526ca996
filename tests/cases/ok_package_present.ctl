// A spec that opens with a package declaration. Every generated C name of this
// spec starts with `shop_`; the dump shows the package as its first item.
package shop;

struct Item {
    sku: string;
    quantity: int;
}
