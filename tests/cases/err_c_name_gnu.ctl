// Names glibc declares in gcc's default mode (gnu17) or under _GNU_SOURCE,
// though not under -std=c11 (found by tests/props, which also compiles the
// generated C with -std=gnu17). Without a package they are reserved too.
enum M { PI }                      // M_PI: a macro of <math.h>

struct index { a: int; }           // fine: <string.h>'s index(), so the C type is index_
struct index_ { b: int; }          // but then index_ is taken

controller BIG {
    fn ENDIAN {}                   // the handler BIG_ENDIAN: a macro of <endian.h>
}

struct S { M_PI: float; }          // fine: the member is M_PI_
