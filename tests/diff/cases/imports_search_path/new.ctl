package shop;

import "common2.ctl";

controller C {
    async fn f {
        item: Item;
    }
}
