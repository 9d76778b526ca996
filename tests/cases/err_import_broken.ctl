// An imported file with a syntax error: the error is reported in that file.
import "err_inc/broken.ctl";

struct S {
    b: Broken;
}
