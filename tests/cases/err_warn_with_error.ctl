// A warning and an error in one file: both printed, exit 1.
@deprecated
struct Old { x: int; }

struct S {
    old: Old;
    bad: Missing;
}
