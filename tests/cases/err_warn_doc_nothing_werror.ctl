// ctlc: --werror
// A doc comment that documents nothing, with --werror: exit 1.
struct Leed {
    id: string;
}
/// Dangling.
