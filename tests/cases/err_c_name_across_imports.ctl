// Two specs with one package share C's global namespace: the header of this
// one includes the imported one's, so a struct there named like a payload
// type here is a collision (list types used in both are one type).
package p;

import "err_inc/samepkg_lib.ctl";

struct T { tags: list<string>; }

controller C { fn f { x: int; } }
