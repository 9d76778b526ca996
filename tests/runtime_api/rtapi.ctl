// rtapi.ctl: the test controllers of the Lambda runtime loop tests.
package rt;

controller rt_main uses rt_side.ping, rt_side.relay, rt_remote.work {
    /// Returns its text.
    fn echo { text: string; } -> { text: string; }
    /// Fails with the given errorType and message.
    fn fail { error_type: string; message: string; }
    /// What the ctx says of the invocation.
    fn ctxinfo { } -> {
        request_id: string;
        deadline_ms: int;
        remaining_ok: bool;
        remaining_ms: int;
        arn?: string;
        trace?: string;
        env_trace?: string;
        client_context?: string;
        cognito?: string;
    }
    /// A result of size bytes.
    fn big { size: int; } -> { data: string; }
    /// Dies of a signal: 0 is a real write to a read-only page (SIGSEGV), -1 a
    /// stack overflow (SIGSEGV).
    fn crash { signal: int; }
    /// Writes to a pipe whose reading end is closed: true when write failed
    /// with EPIPE (rather than the process dying of SIGPIPE).
    fn broken_pipe { } -> { epipe: bool; }
    /// Forks a child that crashes (SIGSEGV); answers how the child ended.
    fn child_crash { } -> { child_signal: int; }
    /// Starts a thread that aborts (SIGABRT) after delay_ms, then crashes
    /// itself at once (SIGSEGV): two crashes, the second during the report.
    fn crash_two { delay_ms: int; }
    /// Appends "k\n" to the file RT_IDEM_LOG names (the side effect a
    /// duplicate must not repeat) and answers a text of its own run.
    @idempotent(key: "k", expires: 600)
    fn once { k: int; note: string; } -> { k: int; run: string; }
    /// Sends rt_side.ping and answers at once.
    fn kick { url: string; delay_ms: int; } -> { sent: bool; }
    /// Sends rt_remote.work (a Lambda function: not hosted) and answers at once.
    fn kick_remote { n: int; } -> { sent: bool; }
    /// Sends rt_side.relay (in-process), which later sends rt_remote.work.
    fn kick_chain { n: int; delay_ms: int; } -> { sent: bool; }
    /// Concurrent pollers: POSTs its request id to url (when not empty),
    /// sleeps ms, then answers what the ctx says of its invocation.
    fn hold { url: string; ms: int; } -> {
        request_id: string;
        deadline_ms: int;
        remaining_ms: int;
        trace?: string;
        env_trace?: string;
        client_context?: string;
    }
    /// Concurrent pollers: GETs url (the test double answers once the
    /// other invocations run), then dies of SIGSEGV.
    fn crash_after { url: string; }
}

controller rt_side uses rt_remote.work {
    /// Waits delay_ms, then POSTs to url (the test double records when).
    async fn ping { url: string; delay_ms: int; }
    /// Waits delay_ms, then sends rt_remote.work (a Lambda function).
    async fn relay { n: int; delay_ms: int; }
}

/// Not hosted by ctl_rtapi: its sends go through the Lambda Invoke transport.
controller rt_remote {
    async fn work { n: int; }
}
