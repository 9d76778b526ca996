// @retries and @max_event_age apply to controllers only.
@retries(1)
package p;

@max_event_age(60)
struct S {
    @retries(1) x: int;
}

@retries(0)
enum E { @max_event_age(60) a }

@retries(1)
client k uses c;

controller c {
    @retries(1) @max_event_age(120) async fn f {}
}
