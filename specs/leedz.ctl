// leedz.ctl: the Leedz backend (theleedz.com) as a ctl spec. addLeed and
// buyLeed answer the web client; they wait only for what the user must (the
// booking check, a DB read) and hand the rest to helper controllers invoked
// asynchronously. notifyUsers travels exactly as the hand-written Python did:
//   {"function":"notifyUsers","id":"123456789","trade":"caricatures","seller":"scott.gross"}

/// Leedz: buy and sell gigs between entertainers and vendors.
package leedz;

/// A trade that a leed is posted under and that users subscribe to.
enum Trade {
    /// Caricature artists drawing guests live.
    caricatures,
    /// Disc jockeys.
    dj,
    /// Event and portrait photographers.
    photography,
    /// Close-up and stage magicians.
    magician,
    /// Face painters; the web client sends "face-painting".
    @json("face-painting") face_painting,
    /// Balloon twisters and decorators.
    balloon_art,
    /// Bands and solo musicians.
    live_music,
    /// Photo booth rentals.
    photo_booth,
}

/// Where a leed is in its life.
enum LeedStatus {
    /// Posted and for sale.
    open,
    /// Bought; the buyer now sees the full address and contact.
    sold,
    /// The gig date passed before anyone bought it.
    expired,
    /// Taken down by the seller.
    withdrawn,
}

/// How a user wants to hear about new leedz in their trades: an email or a
/// text message per leed, or nothing (they browse the board instead).
enum NotifyChannel { email, sms, none }

/// What a user did, for the activity log.
enum Activity { posted, bought, withdrew }

/// A leed: a gig offered for sale by the user who cannot take it.
struct Leed {
    /// Unique id, assigned by addLeed.
    @length(min: 1, max: 64) id: string;
    /// The trade the gig is for.
    trade: Trade;
    /// Username of the user selling the leed.
    @length(min: 1, max: 64) seller: string;
    /// ZIP code of the venue, the only location shown before purchase.
    @length(min: 5, max: 10) zip: string;
    /// Date of the gig, YYYY-MM-DD.
    @length(min: 10, max: 10) date: string;
    /// Start time, HH:MM in the venue's local time, when known.
    start_time?: string;
    /// Price of the leed in US cents; 0 gives it away.
    @range(min: 0, max: 1000000) price_cents: int = 0;
    /// Search tags chosen by the seller, such as "wedding" or "corporate".
    @length(max: 10) tags: list<string>;
    /// Street address, revealed to the buyer only.
    address?: string;
    /// Free text from the seller about the client and the gig.
    @length(max: 2000) note?: string;
    /// Extra facts as key and value, such as {"guests": "40"}.
    @length(max: 20) details?: map<string>;
    /// Where the leed is in its life.
    status: LeedStatus = open;
    /// When it was posted, in seconds since the Unix epoch.
    @range(min: 0) posted_at: int;
}

/// A registered user: seller, buyer and subscriber all in one.
struct User {
    /// Login name, unique.
    @length(min: 1, max: 64) username: string;
    /// Address for notices and receipts.
    email: string;
    /// Mobile number in E.164 form, for SMS notices.
    phone?: string;
    /// Given name, as the profile form names it.
    @json("first-name") first_name?: string;
    /// Trades the user wants to hear about.
    trades: list<Trade>;
    /// Home ZIP code; leedz within radius_miles of it are of interest.
    home_zip: string;
    /// How far the user will travel for a gig.
    @range(min: 1, max: 500) radius_miles: int = 25;
    /// How the user hears about new leedz.
    notify: NotifyChannel = email;
}

/// A confirmed booking: a sold leed on the calendar.
struct Booking {
    /// The leed that was sold.
    leed_id: string;
    /// Its trade, date and ZIP, for the availability check.
    trade: Trade;
    /// Date of the gig, YYYY-MM-DD.
    date: string;
    /// ZIP code of the venue.
    zip: string;
    /// Username of the buyer, who now performs the gig.
    buyer: string;
    /// What the buyer paid, in US cents.
    @range(min: 0) price_cents: int;
}

/// The API-facing Lambda behind "post a leed": it checks the booking, stores
/// the leed, fires the notices and bookkeeping, and answers at once.
client addLeed uses booking_helper.checkBooking, async_db_helper, async_email_helper.notifyUsers,
    async_sms_helper.textSubscribers;

/// The API-facing Lambda behind "buy a leed".
client buyLeed uses async_db_helper, booking_helper, async_email_helper.sendReceipt,
    async_email_helper.notifySeller;

/// Availability of trades on dates near places, backed by AWS Location
/// Service. Callers wait for its answers.
controller booking_helper {
    /// Is this trade already booked on this date near this ZIP? addLeed waits
    /// for the answer and refuses the post on a conflict.
    fn checkBooking {
        /// The trade of the new leed.
        trade: Trade;
        /// Date of the gig, YYYY-MM-DD.
        @length(min: 10, max: 10) date: string;
        /// ZIP code of the venue.
        @length(min: 5, max: 10) zip: string;
    } -> {
        /// True when nothing conflicts.
        available: bool;
        /// Id of the leed that conflicts, when one does.
        conflict_id?: string;
    }

    /// Put a sold leed on the calendar, so later checks see it.
    async fn recordBooking {
        /// The booking to record.
        booking: Booking;
    }
}

/// Email work done in the background (SES). An email that fails for good
/// (after Lambda's retries) is recorded on the leedz-failed-emails queue,
/// where it can be looked at and sent again.
@on_failure(sqs: "leedz-failed-emails")
controller async_email_helper uses async_db_helper.findSubscribers {
    /// Email every user subscribed to the leed's trade near its ZIP. Once
    /// per leed: a duplicate delivery (Lambda's retry of an event it could
    /// not confirm, a caller's retry after a timeout) within a day does not
    /// email anyone again, a day being well past Lambda's longest event age
    /// of six hours.
    @idempotent(key: "id", expires: 86400)
    async fn notifyUsers {
        /// Id of the new leed.
        @length(min: 1, max: 64) id: string;
        /// Its trade, which picks the subscribers.
        trade: Trade;
        /// Username of the seller, who is not emailed.
        seller: string;
    }

    /// Send the buyer a receipt with the full leed, address included.
    async fn sendReceipt {
        /// The leed as sold.
        leed: Leed;
        /// Username of the buyer.
        buyer: string;
        /// Where the receipt goes.
        buyer_email: string;
        /// What was charged, in US cents.
        @range(min: 0) paid_cents: int;
        /// ISO 4217 code of the currency charged.
        @length(min: 3, max: 3) currency: string = "USD";
    }

    /// Tell the seller that their leed sold, and to whom.
    async fn notifySeller {
        /// Id of the sold leed.
        leed_id: string;
        /// Username of the seller.
        seller: string;
        /// Username of the buyer.
        buyer: string;
        /// The seller's share, in US cents.
        @range(min: 0) payout_cents: int;
    }

    /// Email a list of addresses about a new leed.
    @deprecated("use notifyUsers, which finds the subscribers itself")
    async fn notifyTradeList {
        /// Id of the new leed.
        id: string;
        /// The addresses to email.
        emails: list<string>;
    }
}

/// Bookkeeping in DynamoDB: counters, the activity log, leed states.
controller async_db_helper {
    /// Add to the per-trade counters shown on the board.
    async fn bumpCounters {
        /// The trade whose counters change.
        trade: Trade;
        /// Change to the number of leedz posted.
        @range(min: -1, max: 1) posted: int = 0;
        /// Change to the number of leedz sold.
        @range(min: -1, max: 1) sold: int = 0;
    }

    /// Append one entry to a user's activity log.
    async fn logActivity {
        /// Who did it.
        username: string;
        /// What they did.
        action: Activity;
        /// The leed it concerned.
        leed_id?: string;
        /// When, in seconds since the Unix epoch; "ts" in the table.
        @json("ts") @range(min: 0) timestamp: int;
        /// The request as received, kept for support.
        request?: json;
    }

    /// Mark a leed sold and record its buyer.
    async fn markLeedSold {
        /// Id of the leed.
        id: string;
        /// Username of the buyer.
        buyer: string;
        /// What the buyer paid, in US cents.
        @range(min: 0) price_cents: int;
    }

    /// Read one leed; buyLeed waits for it.
    fn getLeed {
        /// Id of the leed.
        id: string;
    } -> Leed

    /// The users to tell about a new leed: subscribed to its trade, near its
    /// ZIP, and wanting to hear.
    fn findSubscribers {
        /// The trade of the leed.
        trade: Trade;
        /// ZIP code of the venue.
        zip: string;
        /// Channel the caller sends on.
        channel: NotifyChannel = email;
    } -> {
        /// Matching users, nearest first.
        users: list<User>;
    }
}

/// Text messages through a third-party SMS gateway.
controller async_sms_helper uses async_db_helper.findSubscribers {
    /// Text every SMS subscriber of the leed's trade near its ZIP, once per
    /// leed, as notifyUsers emails.
    @idempotent(key: "id", expires: 86400)
    async fn textSubscribers {
        /// Id of the new leed.
        id: string;
        /// Its trade.
        trade: Trade;
        /// ZIP code of the venue.
        zip: string;
        /// The text, one SMS segment at most.
        @length(min: 1, max: 160) message: string;
        /// Skip numbers texted in the last hour.
        throttle: bool = true;
    }
}
