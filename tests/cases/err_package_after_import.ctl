// A package declaration after an import.
import "err_inc/diamond_base.ctl";
package leedz;
