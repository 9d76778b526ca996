// Destinations and @records, spaced oddly.
@on_failure( records )   @on_success(sqs:"done-q" ) controller c {
  async fn f {} }
controller records { @records
  async fn take {} }
@on_failure(eventbridge :  "bus/x") controller e {}
