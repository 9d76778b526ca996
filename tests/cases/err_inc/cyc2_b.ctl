import "cyc2_a.ctl";

struct B2 { y: int; }
