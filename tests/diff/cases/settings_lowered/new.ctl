// Fewer retries, shorter ages: events old callers queued may be dropped.
package shop;

@retries(0)
@max_event_age(60)
controller mail {
    async fn send { to: string; }
}

@retries(1)
controller bill {
    async fn charge { cents: int; }
}
