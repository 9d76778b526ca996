// Each of Lambda's settings once per controller.
@retries(1)
@max_event_age(60)
@retries(1)
@max_event_age(120)
controller c {}
