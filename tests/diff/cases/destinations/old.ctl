// Destinations before: mail's failures go to a controller, bill's to a
// queue, ship's successes to a topic; post has none.
@on_failure(records)
controller mail { async fn send {} }

@on_failure(sqs: "bill-failures")
controller bill { async fn charge {} }

@on_success(sns: "shipped")
controller ship { async fn go {} }

controller post { async fn put {} }

controller records { @records async fn take {} }
