// Field and member names that are C keywords or reserved names are ordinary
// spec names (ctlc appends `_` to them in C only): valid specs.
enum CWords { auto, break, case, char, const, default, do, double, else, static, void, while }

struct CNames {
    return: int;
    default: string;
    char: string;
    switch: bool;
    register: int;
    volatile?: float;
    typedef: string;
    sizeof: int;
    _Bool: bool;
    signed: int;
    unsigned: int;
    goto: string;
    inline: bool;
    restrict: int;
    NULL: string;
}
