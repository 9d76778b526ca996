// @idempotent applies to functions, and not to a @records function.
@idempotent
controller wrong {}

controller records {
    @idempotent
    @records async fn take {}
}

struct S {
    @idempotent n: int;
}
