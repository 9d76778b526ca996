// audit.ctl: the spec of the LSP test's completion requests (each asks
// just after a word of it; what follows the cursor does not count).
package edit;

import "common.ctl";

/// Audits.
@retries(1)
controller audit {
    /// Logs.
    @idempotent(key: "id") fn log { id: string; what: Item; how: Payment = card; on: bool = true; } -> Item
    async fn drop {}
}

// uses audit: not here
client ops uses audit.log, audit;
