// One side of the diamond: imports base.ctl next to it.
import "base.ctl";

struct Left {
    base: Base;
}
