// A larger, realistic spec: a small marketplace back end with a package,
// docs everywhere, an import, enums with wire names, nested and recursive
// structs, every annotation, clients and controllers that call each other,
// sync and async functions with inline and named results.
/// Marketplace back end: listings, orders, payments and notifications.
package market;

import "ok_inc/common.ctl";

/// Where a listing is in its life.
enum ListingState {
    /// Being written; not visible to buyers.
    draft,
    /// Visible and for sale.
    @json("for-sale") for_sale,
    /// Sold; kept for the history.
    sold,
    /// Taken down by a moderator.
    @json("taken-down") taken_down,
}

/// Where an order is.
enum OrderState { pending, paid, shipped, delivered, cancelled, refunded }

/// How a user is told about things.
enum Channel { email, sms, push, @deprecated("push covers it") pager }

/// A postal address.
struct Address {
    @length(min: 1, max: 200) street: string;
    @length(min: 1, max: 100) city: string;
    @length(min: 2, max: 2) @json("country-code") country: string = "US";
    @json("postal-code") postal?: string;
}

/// A category; categories form a tree.
struct Category {
    id: string;
    @length(min: 1, max: 80) name: string;
    parent?: Category;
    children: list<Category>;
}

/// A picture of a listing.
struct Photo {
    url: string;
    @range(min: 1) width: int;
    @range(min: 1) height: int;
    caption?: string;
}

/// Something for sale.
struct Listing {
    id: string;
    seller_id: string;
    @length(min: 3, max: 120) title: string;
    @length(max: 10000) description: string = "";
    price: Money;
    state: ListingState = draft;
    category: Category;
    @length(max: 20) photos: list<Photo>;
    @length(max: 30) attributes: map<string>;
    @range(min: 0.0, max: 5.0) rating?: float;
    metadata?: json;
    @deprecated("use attributes") legacy_tags?: list<string>;
}

/// One line of an order.
struct OrderLine {
    listing_id: string;
    @range(min: 1, max: 999) quantity: int = 1;
    unit_price: Money;
}

/// An order of one buyer.
struct Order {
    id: string;
    buyer_id: string;
    @length(min: 1) lines: list<OrderLine>;
    state: OrderState = pending;
    ship_to: Address;
    total: Money;
    notes?: string;
}

/// What a search returns.
struct Page {
    listings: list<Listing>;
    next_cursor?: string;
    @range(min: 0) total: int;
}

/// The public HTTP API: one Lambda behind API Gateway.
client api uses listings, orders, search.query;

/// The nightly batch job.
client nightly uses orders.expire, notify;

/// Listings: create, read, update, take down.
controller listings uses notify.listingChanged {
    /// Create a draft listing.
    fn create {
        seller_id: string;
        @length(min: 3, max: 120) title: string;
        price: Money;
        category_id: string;
    } -> Listing

    /// Read one listing.
    fn get { id: string; } -> { listing?: Listing; }

    /// Change a listing; fields left out stay as they are.
    fn update {
        id: string;
        title?: string;
        description?: string;
        price?: Money;
        state?: ListingState;
        @length(max: 20) photos?: list<Photo>;
    } -> Listing

    /// Take a listing down (moderation).
    fn takeDown {
        id: string;
        @length(min: 1, max: 500) reason: string;
    }
}

/// Orders and their payment.
controller orders uses listings.get, payments, notify {
    /// Place an order and reserve the listings.
    fn place {
        buyer_id: string;
        @length(min: 1, max: 50) lines: list<OrderLine>;
        ship_to: Address;
    } -> Order

    /// Cancel an order that is not shipped yet.
    fn cancel { id: string; } -> { order: Order; refunded: bool; }

    /// Expire unpaid orders older than a number of hours.
    async fn expire { @range(min: 1, max: 168) older_than_hours: int = 48; }
}

/// Payments through the card processor.
controller payments {
    /// Charge a card; the token comes from the browser.
    fn charge {
        order_id: string;
        amount: Money;
        @json("card-token") card_token: string;
        @json("idempotency-key") key: string;
    } -> {
        ok: bool;
        @json("charge-id") charge_id?: string;
        decline_reason?: string;
    }

    /// Refund a charge, in full when no amount is given.
    async fn refund { charge_id: string; amount?: Money; }
}

/// Full-text search over listings.
controller search {
    /// Search for listings.
    fn query {
        @length(max: 200) text: string = "";
        categories?: list<string>;
        @range(min: 0) min_price?: int;
        @range(min: 0) max_price?: int;
        @range(min: 1, max: 100) limit: int = 20;
        cursor?: string;
    } -> Page

    /// Rebuild the index of one listing.
    async fn reindex { listing_id: string; }
}

/// Notifications, sent in the background.
controller notify {
    /// Tell watchers that a listing changed.
    async fn listingChanged { listing_id: string; state: ListingState; }

    /// Tell a user something.
    async fn user {
        user_id: string;
        @length(min: 1) channels: list<Channel>;
        @length(min: 1, max: 140) subject: string;
        body: string;
        data?: map<json>;
    }
}
