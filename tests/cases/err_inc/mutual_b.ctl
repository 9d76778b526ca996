// Imports the file that imports it, and uses its struct.
import "../err_cycle_import_mutual.ctl";

struct B {
    a: A;
}
