// pynames.ctl: names Python or the generated module reserves, for ctlc py's
// escaping (gen/emit_py_names.c): keywords, builtins, the runtime part's
// names, Enum's own attributes and members that start with '_'.
package pynames;

enum bytes { None, True, name, value, _hidden, class }

struct CtlError {
    class: bytes = class;
    from: int = 1;
    int: float = 2;
    flag: bool = false;
    typing?: list<string>;
    @json("def") lambda_: string;
}

struct _ctl_list {
    import: map<CtlError>;
}

controller object {
    fn from { pass: int; } -> { yield: _ctl_list; }
    async fn class { async: bytes; }
}
