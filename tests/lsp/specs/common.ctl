// common.ctl: types that tests/lsp/specs/shop.ctl imports (the LSP test).

/// Shop: a test of ctlc lsp.
package shop;

/// What an order is made of.
struct Item {
    /// Stock keeping unit, as printed on the label.
    @length(min: 1, max: 32) @json("sku_code") sku: string;
    /// How many; at least one.
    @range(min: 1) count: int = 1;
    /// How it is paid unless the order says.
    pay: Payment = card;
}

/// How an order is paid.
enum Payment { card, @json("bank-transfer") bank_transfer }
