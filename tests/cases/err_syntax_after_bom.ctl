// A spec that starts with a UTF-8 byte order mark (allowed) and has a
// syntax error on its first declaration line. (BOM is 3 bytes.)
struct S { x int; }
