// In the second -I folder: shadowed by first/pick.ctl, never loaded (it would
// define Picked a second time, differently).
struct Picked { from_second: bool; }
