// Lowered settings, raised again; a default stated is no change.
package shop;

@max_event_age(120)
controller mail {
    async fn send { to: string; }
}

@retries(2)
@max_event_age(21600)
controller bill {
    async fn charge { cents: int; }
}
