import "cyc2_b.ctl";

struct A2 { x: int; }
