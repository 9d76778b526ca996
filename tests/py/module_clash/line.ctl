// Imports json.ctl: its module is refused even when it is not the one named.
import "json.ctl";

struct Line { a: Point; b: Point; }
