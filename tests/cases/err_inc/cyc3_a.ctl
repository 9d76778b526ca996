import "cyc3_b.ctl";

struct A3 { x: int; }
