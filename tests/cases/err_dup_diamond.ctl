// ctlc: -I err_inc
// A diamond of imports: left and right both import base, which is fine, but
// both define 'Leed', which is not. Reported once, at the later definition.
import "diamond_left.ctl";
import "diamond_right.ctl";

struct Order {
    leed: Leed;
    trade: Trade;
}
