// Doc comments on a struct and on its fields, including an optional field, a
// field with a default and a field of a nested type.
/// A customer as the CRM knows it.
struct Customer {
    /// Unique id, assigned by the CRM.
    id: string;
    /// Display name.
    name?: string;
    /// How many orders so far.
    orders: int = 0;
    /// Free-form labels, keyed by source.
    labels: map<list<string>>;
    no_doc: bool;
}
