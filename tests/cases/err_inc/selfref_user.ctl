import "selfref.ctl";

struct Holder {
    ring?: Ring;
}
