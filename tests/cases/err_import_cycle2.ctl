// ctlc: -I err_inc
// A cycle of two imported files: cyc2_a imports cyc2_b, which imports cyc2_a.
import "cyc2_a.ctl";

struct S {
    a: A2;
    b: B2;
}
