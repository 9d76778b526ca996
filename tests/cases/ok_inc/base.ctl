// The bottom of the diamond: imported by left.ctl and right.ctl.
/// Shared by both sides of the diamond.
struct Base {
    id: string;
}
