// Found only through `-I ok_inc` (it is not next to the importing case).
// It imports common.ctl next to itself; the case imports the same file by
// another path, and it is loaded once.
import "common.ctl";

/// A price, found through the search path.
struct Price {
    amount: Money;
}
