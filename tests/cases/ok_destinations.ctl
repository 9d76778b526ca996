// Destinations: where the records of async events go, as Lambda's
// DestinationConfig: another controller's @records function, or an
// external target named for deploy time.
package dest;

/// Email work: a failed event's record goes to the failures controller,
/// a delivered one's to the audit controller.
@retries(1)
@on_failure(failures)
@on_success(audit)
controller mailer {
    async fn send { to: string; }
}

/// Receives the records of mailer's failed events.
controller failures {
    /// The record of an event that failed for good.
    @records async fn failed {}
}

controller audit {
    @records async fn delivered {}
    fn count {} -> { n: int; }
}

/// Records to AWS services, their names resolved at deploy time.
@on_failure(sqs: "leedz-failed_emails")
@on_success(sns: "leedz-done")
controller queued { async fn go {} }

@on_failure(eventbridge: "leedz/events.bus-1")
controller bused { async fn go {} }

@on_failure(s3: "leedz.failures-2026")
controller bucketed { async fn go {} }
