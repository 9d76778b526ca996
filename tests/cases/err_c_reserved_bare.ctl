// In a spec without a package, a declaration whose name starts with '_'
// would give C names that C reserves at file scope, where they all live
// (`_E`, `_E_a`, `__C_controller`, `_lower`: C11 7.1.3 reserves every such
// name there, not only '__' and '_' with a capital; tests/props found
// `package _p;` let through). With a package they are fine
// (ok_identifiers.ctl).
enum _E { a }
controller __C { fn f {} }
struct _lower { x: int; }
