// Two files whose structs contain each other can only see each other through
// an import cycle: the cycle is the one error; the type it hides ('A' in
// mutual_b.ctl) is not reported as unknown on top of it.
import "err_inc/mutual_b.ctl";

struct A {
    b: B;
}
