@deprecated
package olduser;

import "oldpkg.ctl";

struct Wrapper { thing: OldThing; }
