// An import of a file that itself imports: this file -> chain_b.ctl ->
// chain_c.ctl. Types of the directly imported file are visible, and so are
// those it imports in turn (imports are transitive in ctlc).
import "ok_inc/chain_b.ctl";

struct Top {
    middle: Middle;
    bottom: Bottom;
    level: Level = high;
}
