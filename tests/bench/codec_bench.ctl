// codec_bench.ctl: the payloads of tests/bench/codec_bench.sh.
//
// The small event is leedz.ctl's notifyUsers (dispatched through leedz.ctl's
// own async_email_helper controller); NotifyEvent below is the same event as
// a struct, "function" included, so that its writer makes the very bytes the
// stub sends. The large event (about 4 KB) is placeOrder: an order with a
// customer, 20 line items (strings, ints, floats, an enum, a list of tags)
// and a map of attributes. The 64 KB event (importBatch, made by
// gen_batch_event.pl) is a batch of 500 line items with long texts.
// codec_bench.schema.json is the contract of the first two as JSON Schema,
// for quicktype.
package bench;

/// Same members and wire names as leedz.Trade.
enum Trade {
    caricatures,
    dj,
    photography,
    magician,
    @json("face-painting") face_painting,
    balloon_art,
    live_music,
    photo_booth,
}

/// The notifyUsers event of leedz.ctl, as a struct that can be written.
struct NotifyEvent {
    function: string;
    @length(min: 1, max: 64) id: string;
    trade: Trade;
    seller: string;
}

/// What a line item is.
enum ItemKind { physical, digital, service, @json("gift-card") gift_card }

/// ISO 4217 currencies the shop takes.
enum Currency { USD, EUR, GBP, CAD }

/// A postal address.
struct Address {
    line1: string;
    line2?: string;
    city: string;
    region: string;
    postal_code: string;
    country: string;
}

/// Who placed the order.
struct Customer {
    id: string;
    name: string;
    email: string;
    phone?: string;
    vip: bool;
    @range(min: 0) loyalty_points: int;
    shipping: Address;
    billing: Address;
}

/// One line of an order.
struct LineItem {
    sku: string;
    name: string;
    kind: ItemKind;
    @range(min: 1) quantity: int;
    unit_price: float;
    weight_kg: float;
    gift: bool;
    @length(max: 16) tags: list<string>;
    note?: string;
}

/// An order.
struct Order {
    @length(min: 1, max: 64) id: string;
    @range(min: 0) created_at: int;
    currency: Currency;
    customer: Customer;
    @length(min: 1) items: list<LineItem>;
    attributes: map<string>;
    subtotal: float;
    tax: float;
    total: float;
    coupon?: string;
}

/// The placeOrder event, as a struct that can be written.
struct OrderEvent {
    function: string;
    order: Order;
}

/// A batch of line items with long texts (the 64 KB event).
struct Batch {
    @length(min: 1, max: 64) id: string;
    description: string;
    notes: list<string>;
    @length(min: 1) items: list<LineItem>;
}

/// The importBatch event, as a struct that can be written.
struct BatchEvent {
    function: string;
    batch: Batch;
}

/// The large-event controller.
controller orders {
    /// Take an order in the background.
    async fn placeOrder {
        order: Order;
    }

    /// Take a batch in the background.
    async fn importBatch {
        batch: Batch;
    }
}
