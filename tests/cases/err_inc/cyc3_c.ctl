import "cyc3_a.ctl";

struct C3 { x: int; }
