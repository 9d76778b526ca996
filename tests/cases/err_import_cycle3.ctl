// ctlc: -I err_inc
// A cycle of three imported files: a -> b -> c -> a.
import "cyc3_a.ctl";

struct S {
    a: A3;
}
