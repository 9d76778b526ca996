// imports.ctl: a spec using types from another package (inc/lib.ctl); its
// header includes lib.ctl.h and its readers call lib_Money_read.
package shop;

import "inc/lib.ctl";

struct Order {
    id: string;
    total: Money;
    lines: list<Money>;
    by_sku: map<Money>;
    level: Level = high;
}

controller orders {
    fn price { order: Order; } -> Money
    async fn placed { order: Order; at?: float; }
}
