// shop.ctl: the spec the LSP test opens; it imports common.ctl.
package shop;

import "common.ctl";

/// Takes orders: café, naïve, 𝄞 — a line with characters outside ASCII and the BMP.
controller orders {
    /// Place an order.
    fn place {
        /// What is ordered.
        items: list<Item>;
        pay: Payment;
    } -> { id: string; }

    /// Forget an order.
    async fn cancel { id: string; }
}
