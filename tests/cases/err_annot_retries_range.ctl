// @retries and @max_event_age outside Lambda's limits.
@retries(3)
controller a {}

@retries(-1)
controller b {}

@max_event_age(59)
controller c {}

@max_event_age(21601)
controller d {}

@retries(9223372036854775807) @max_event_age(0)
controller e {}
