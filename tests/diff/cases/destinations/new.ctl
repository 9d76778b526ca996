// Destinations after: mail's removed, bill's queue renamed, ship's
// success topic kept and a failure queue added, post's success records
// now go to a controller.
controller mail { async fn send {} }

@on_failure(sqs: "bill-failed")
controller bill { async fn charge {} }

@on_success(sns: "shipped")
@on_failure(sqs: "ship-failures")
controller ship { async fn go {} }

@on_success(records)
controller post { async fn put {} }

controller records { @records async fn take {} }
