// @json on enum members: dashed, upper case, digits first, spaces, non-ASCII;
// members with and without one; a member whose wire name is another member's
// spec name, as long as no two wire names collide.
enum Status {
    @json("in-progress") in_progress,
    @json("DONE") done,
    @json("2fa") two_factor,
    @json("on hold") on_hold,
    @json("überfällig") overdue,
    open,
}

enum Swap {
    @json("b") a,
    @json("a") b,
}
