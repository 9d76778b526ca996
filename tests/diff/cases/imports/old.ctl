package shop;

import "inc_old/common.ctl";

controller C {
    async fn f {
        item: Item;
    }
}
