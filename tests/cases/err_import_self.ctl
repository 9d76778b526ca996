// A file that imports itself is a cycle of one.
import "err_import_self.ctl";

struct S { x: int; }
