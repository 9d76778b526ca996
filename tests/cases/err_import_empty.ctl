// An empty import path.
import "";

struct S { x: int; }
