// ctlc: -I ok_inc/first -Iok_inc/second
// Several -I folders are searched in order: pick.ctl exists in both and the
// first one wins (the second is never loaded, or Picked would be defined
// twice); only_second.ctl is found in the second. `-IDIR` without a space
// works as well as `-I DIR`.
import "pick.ctl";
import "only_second.ctl";

struct Chosen {
    picked: Picked;
    found: Found = yes;
}
