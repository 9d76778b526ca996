// A local declaration with the name of an imported one.
import "err_inc/diamond_base.ctl";

enum Trade { caricatures }
