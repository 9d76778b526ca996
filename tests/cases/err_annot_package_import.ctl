// An import takes no annotation. A package takes @deprecated (the whole spec
// is deprecated, and importing it warns), so only the @json is an error.
@deprecated
package leedz;

@json("x")
import "err_inc/diamond_base.ctl";
