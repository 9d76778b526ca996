// @deprecated, bare and with a message, on every kind of thing it applies
// to: enum, member, struct, field (struct, payload, result), client,
// controller, fn and async fn. Nothing here uses a deprecated type, so there
// is no warning.
@deprecated enum OldEnum { a }
@deprecated("use NewEnum") enum OldEnum2 { a }

enum NewEnum {
    @deprecated old_member,
    @deprecated("use new_member") old_member2,
    new_member,
}

@deprecated struct OldStruct { x: int; }
@deprecated("use NewStruct") struct OldStruct2 { x: int; }

struct NewStruct {
    @deprecated old_field: string;
    @deprecated("use new_field") old_field2?: string;
    new_field: string;
}

@deprecated client old_client;
@deprecated("use new_client") client old_client2;
client new_client;

@deprecated controller old_ctrl {}
@deprecated("use new_ctrl") controller old_ctrl2 { fn f {} }

controller new_ctrl {
    @deprecated fn old_fn {}
    @deprecated("use new_fn") fn old_fn2 { @deprecated x?: int; } -> { @deprecated("gone") y?: int; }
    @deprecated async fn old_async {}
    @deprecated("use new_fn") async fn old_async2 { @deprecated("unused") z: bool; }
    @deprecated() fn empty_parens {}
    fn new_fn {}
}
