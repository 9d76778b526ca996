// Annotations on a package declaration and on an import apply to nothing
// there, @deprecated included.
@deprecated
package leedz;

@json("x")
import "err_inc/diamond_base.ctl";
