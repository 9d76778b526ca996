package shop;

import "common.ctl";

controller C {
    async fn f {
        item: Item;
    }
}
