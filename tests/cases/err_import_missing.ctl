// An import that names a file that does not exist next to this one.
import "nowhere.ctl";

struct S {
    x: int;
}
