// Lambda's async settings on controllers: @retries (MaximumRetryAttempts)
// and @max_event_age (MaximumEventAgeInSeconds), at their limits and beside
// other annotations. A controller without them keeps Lambda's defaults.
package settings;

/// Email work: retried once, dropped after a minute.
@retries(1)
@max_event_age(60)
controller mailer {
    async fn send { to: string; }
}

/// Never retried; the longest age Lambda keeps an event.
@deprecated("use mailer")
@max_event_age(21600)
@retries(0)
controller old_mailer {
    async fn send { to: string; }
}

/// Lambda's two retries, said explicitly.
@retries(2)
controller billing {}

controller plain {}
