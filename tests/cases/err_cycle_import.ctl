// ctlc: -I err_inc
// A struct cycle inside an imported file, which is reachable both directly
// and through another import: reported once, in the file that has it.
import "selfref.ctl";
import "selfref_user.ctl";

struct Top {
    ring: Ring;
}
