// @length and @range on declarations, a function and an enum member.
@length(max: 3)
struct S { x: int; }

@range(min: 0)
enum E { @length(max: 1) a }

controller c {
    @range(max: 1) fn f { x: int; }
}
