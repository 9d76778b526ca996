// In the first -I folder: this pick.ctl is the one an import finds.
struct Picked { from_first: bool; }
