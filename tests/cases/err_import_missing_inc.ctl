// ctlc: -I err_inc
// An import that is found neither next to this file nor in the -I folder.
// A type that would have come from it is not reported as unknown too.
import "nowhere.ctl";

struct S {
    thing: Thing;
}
