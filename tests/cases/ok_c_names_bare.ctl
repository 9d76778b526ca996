// Without a package, a struct or enum named like something of C, POSIX or
// libctl gets a trailing '_' in C (size_t_, malloc_, EOF_, event_), like a
// keyword does.
struct size_t { n: int; }
struct malloc { n: int; }
enum EOF { end }
struct event { id: string; }
struct tm { sec: int; }
