// A diamond: this file imports left.ctl and right.ctl, which both import
// base.ctl (by different relative paths). base.ctl is loaded once, so Base is
// defined once and is visible here too.
import "ok_inc/left.ctl";
import "ok_inc/right.ctl";

struct Both {
    left: Left;
    right: Right;
    base: Base;
}
