// The full order of a spec's head: the package first, then every import, then
// declarations, each kind mixed freely after that.
package ordered;

import "ok_inc/common.ctl";
import "ok_inc/base.ctl";

enum Kind { one, two }
struct Holder { money: Money; base: Base; kind: Kind; }
controller worker { fn run {} }
struct After { kind: Kind; }
client caller uses worker;
enum Late { only }
