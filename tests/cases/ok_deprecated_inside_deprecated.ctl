// A deprecated struct whose field uses another deprecated type, and a
// deprecated controller whose functions use deprecated types. A deprecated
// field, function, client or controller does not warn about what it uses
// itself, and by the same rule nothing inside something deprecated as a
// whole warns either: no warnings here.
@deprecated enum OldKind { a }
@deprecated struct OldResult { kind: OldKind; }

@deprecated controller old_ctrl {
    fn get {} -> OldResult
    fn put { kind: OldKind; }
}
