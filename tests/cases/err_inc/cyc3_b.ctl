import "cyc3_c.ctl";

struct B3 { x: int; }
