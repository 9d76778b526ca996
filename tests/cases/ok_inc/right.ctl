// The other side of the diamond: reaches the same base.ctl by another path
// (through the parent folder), which must still be the same file.
import "../ok_inc/base.ctl";

struct Right {
    base: Base;
}
