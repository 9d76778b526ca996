// A deprecated struct whose field uses another deprecated type, and a
// deprecated controller whose functions use deprecated types. A deprecated
// field, function, client or controller does not warn about what it uses
// itself; by the same rule these uses, inside something deprecated as a
// whole, should not warn either. ctlc warns today (reported as doubtful);
// the transcript records what it does now.
@deprecated enum OldKind { a }
@deprecated struct OldResult { kind: OldKind; }

@deprecated controller old_ctrl {
    fn get {} -> OldResult
    fn put { kind: OldKind; }
}
