/// A spec on its way out.
@deprecated("use ok_inc/common.ctl")
package oldpkg;

struct OldThing { id: string; }
