// Lambda's defaults (2 retries, 6 hours) and a stated age.
package shop;

controller mail {
    async fn send { to: string; }
}

@max_event_age(3600)
controller bill {
    async fn charge { cents: int; }
}
