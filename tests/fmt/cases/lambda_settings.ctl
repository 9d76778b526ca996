// Lambda's settings of a controller, one a line before it.
/// Doc.
@retries( 1 )  @max_event_age(60) controller c {
  async fn f {} }
@max_event_age( 21600 )

@deprecated controller d uses c {}
