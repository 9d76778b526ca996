import "diamond_base.ctl";

struct Leed {
    trade: Trade;
}
