// Using something deprecated is legal but warns (exit status 0 without
// --werror): a deprecated enum or struct as a field type (also inside a list
// or map, and as a named result), a deprecated controller or function in
// `uses`. The message, when there is one, is part of the warning. A use from
// a field, function, client or controller that is deprecated itself does not
// warn.
@deprecated enum OldColor { red }
@deprecated("use Box") struct OldBox { x: int; }

struct User {
    color: OldColor;
    boxes: list<OldBox>;
    by_name: map<OldColor>;
    @deprecated quiet: OldBox;
}

@deprecated("use mailer") controller old_mailer {
    fn send {}
}

controller mailer {
    @deprecated fn legacy {}
    fn send {}
    fn fetch {} -> OldBox
    @deprecated fn fetch_quiet {} -> OldBox
}

client app uses old_mailer, mailer.legacy, mailer.send;
@deprecated client old_app uses old_mailer, mailer.legacy;
