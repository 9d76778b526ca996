// An import that names a directory (err_inc/adir.ctl is a folder).
import "err_inc/adir.ctl";
