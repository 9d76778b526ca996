package shop;

import "inc_new/common.ctl";

controller C {
    async fn f {
        item: Item;
    }
}
