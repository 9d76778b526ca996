// External destinations: a known kind, a string name following AWS's
// naming rule of that kind; S3 on failure only.
package p;

@on_failure(sqs: "")
controller a1 { async fn f {} }

@on_failure(sqs: "orders.fifo")
controller a2 { async fn f {} }

@on_failure(sqs: "a23456789012345678901234567890123456789012345678901234567890123456789012345678901")
controller a3 { async fn f {} }

@on_success(sns: "my topic")
controller a4 { async fn f {} }

@on_failure(eventbridge: "bus:1")
controller a5 { async fn f {} }

@on_failure(s3: "Leedz-Failures")
controller a6 { async fn f {} }

@on_failure(s3: "ab")
controller a7 { async fn f {} }

@on_failure(s3: "leedz..failures")
controller a8 { async fn f {} }

@on_failure(s3: "-leedz")
controller a9 { async fn f {} }

@on_success(s3: "leedz-ok")
controller b1 { async fn f {} }

@on_failure(sq: "q")
controller b2 { async fn f {} }

@on_failure(kafka: "q")
controller b3 { async fn f {} }

@on_failure(sqs: q)
controller b4 { async fn f {} }

@on_failure("q")
controller b5 { async fn f {} }

@on_failure
controller b6 { async fn f {} }

@on_failure(sqs: "q", sns: "t")
controller b7 { async fn f {} }

@on_failure(sqs: "q") @on_failure(sns: "t")
controller b8 { async fn f {} }
