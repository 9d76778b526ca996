// Doc comments on a client, a controller, its functions (plain and async) and
// the fields of a payload and of an inline result.
package docs;

/// The public API function; it calls the mailer.
client api uses mailer;

/// Sends mail.
controller mailer {
    /// Send one message now and say whether it left.
    fn send {
        /// Address to send to.
        to: string;
    } -> {
        /// True when the relay accepted it.
        sent: bool;
    }

    /// Queue a digest for later.
    async fn queueDigest {
        /// Whose digest.
        user: string;
    }

    fn undocumented {}
}
