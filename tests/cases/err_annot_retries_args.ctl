// The argument of @retries and @max_event_age: one positional integer.
@retries
controller a {}

@retries()
controller b {}

@retries("2")
controller c {}

@retries(n: 1)
controller d {}

@retries(1, 2)
controller e {}

@max_event_age(60.5)
controller f {}

@max_event_age(true)
controller g {}
