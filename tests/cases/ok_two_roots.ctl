// ctlc: ok_inc/base.ctl
// Two specs named on the command line, where the second (this one) imports
// the first: the file is loaded once, so Base is defined once, and the dump
// shows both specs, in command-line order.
import "ok_inc/base.ctl";

struct Wrapper { base: Base; }
