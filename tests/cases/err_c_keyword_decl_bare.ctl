// Without a package, a declaration named like a C keyword gets a trailing
// '_' in C, so 'double' becomes 'double_' and meets the struct of that name.
struct double { x: int; }
struct double_ { y: int; }
