// 'true' as the default of an enum field that has no member 'true'.
enum Answer { yes, no }

struct S {
    a: Answer = true;
}
