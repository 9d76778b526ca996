// Controllers from an imported file: a client and a controller here use an
// imported controller and one of its functions; a function here returns an
// imported struct.
import "ok_inc/services.ctl";

client checkout uses payments.charge;

controller orders uses payments {
    fn place { cents: int; } -> Receipt
}
