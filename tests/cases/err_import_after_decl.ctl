// An import after a declaration.
package leedz;

struct S { x: int; }

import "err_inc/diamond_base.ctl";
