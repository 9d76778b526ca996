// Lowered settings, raised again; a default stated is no change.
package shop;

@retries(0)
@max_event_age(60)
controller mail {
    async fn send { to: string; }
}

controller bill {
    async fn charge { cents: int; }
}
