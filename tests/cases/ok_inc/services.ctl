// Controllers and a result struct, imported by ok_import_controllers.ctl.
package services;

struct Receipt {
    id: string;
}

controller payments {
    fn charge { cents: int; } -> Receipt
    async fn refund { id: string; }
}
