// The same file imported twice, once through another spelling of its path:
// a warning with a note at the first import; the file is loaded once.
import "err_inc/diamond_base.ctl";
import "err_inc/../err_inc/diamond_base.ctl";

struct User { trade: Trade; }
