// In a spec without a package, a declaration whose name starts with '_' and
// a capital (or '__') would give C names that C reserves (`_E`, `_E_a`,
// `__C_controller`). With a package they are fine (ok_identifiers.ctl).
enum _E { a }
controller __C { fn f {} }
struct _ok_lower { x: int; }
