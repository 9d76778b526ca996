// A deprecated package: importing it warns once, at the import; what it
// declares is not deprecated one by one. ok_inc/oldpkg_user.ctl, deprecated
// itself, imports oldpkg without a warning, and importing it warns here.
package newpkg;

import "ok_inc/oldpkg.ctl";
import "ok_inc/oldpkg_user.ctl";

struct Uses { thing: OldThing; }
