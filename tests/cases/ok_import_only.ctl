// A spec that only imports (a bundle of other specs) and declares nothing of
// its own; with a package and a doc on it.
/// Everything money-related in one place.
package bundle;

import "ok_inc/common.ctl";
import "ok_inc/services.ctl";
