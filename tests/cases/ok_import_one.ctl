// Importing one file by a path relative to this file's folder; its enum and
// struct are visible by name (as field types, a default member of the
// imported enum, a named result).
package store;

import "ok_inc/common.ctl";

struct Product {
    name: string;
    price: Money;
    currency: Currency = USD;
}

controller catalog {
    fn price { sku: string; } -> Money
}
