// ctlc: -I ok_inc
// An import found through `-I ok_inc`: searched.ctl is not next to this file.
// searched.ctl imports common.ctl next to itself, and this file imports the
// same common.ctl by a path relative to its own folder: one file, loaded
// once, no duplicate definitions.
import "searched.ctl";
import "ok_inc/common.ctl";

struct Cart {
    total: Price;
    currency: Currency;
}
