// The example of the language contract, made complete: the client addLeed
// uses async_db_helper, which is defined here (after the example's own
// declarations) so that the spec checks clean.
// leedz.ctl
package leedz;

/// A trade that a leed is posted under.
enum Trade { caricatures, dj, photography, magician }

/// A leed offered for sale.
struct Leed {
    id: string;
    trade: Trade;
    seller: string;
    @range(min: 0) price_cents: int = 0;
    tags: list<string>;
    zip?: string;
}

/// The API-facing function that posts leeds; it may call these controllers.
client addLeed uses async_email_helper, async_db_helper;

/// Email work done in the background.
controller async_email_helper {
    /// Email every user subscribed to the leed's trade.
    async fn notifyUsers {
        @length(min: 1, max: 64) id: string;
        trade: Trade;
        seller: string;
    }

    /// Is that trade already booked on that date near that zip?
    fn checkBooking {
        trade: Trade;
        date: string;
        zip: string;
    } -> {
        available: bool;
        conflict_id?: string;
    }
}

/// Database work: storing and reading leeds.
controller async_db_helper {
    /// Store a new leed in the background.
    async fn putLeed {
        leed: Leed;
    }

    /// Read one leed back; absent when the id is unknown.
    fn getLeed {
        @length(min: 1, max: 64) id: string;
    } -> {
        leed?: Leed;
    }

    /// The leeds of one trade, newest first.
    fn listLeeds {
        trade: Trade;
        @range(min: 1, max: 100) limit: int = 20;
    } -> {
        leeds: list<Leed>;
    }
}
