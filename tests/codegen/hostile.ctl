// hostile.ctl: hostile text in every position that reaches C (doc comments,
// deprecation reasons, wire names, string defaults): comment ends and
// starts, trigraphs, backslashes at line ends, quotes, newlines, control
// characters, non-ASCII. The C must compile under -Werror and still refuse
// {"function":"f"} (issue 10, item 9: the reason below once injected #defines).
/// Hostile text in every position: */ #define X 1 /* ??/
/// a line ending in a backslash \
/// "quotes" and non-ASCII: héllo ✓ 𝄞 ??= ??( ??) ??-
/// a backslash then blanks \   
package hostile;

/// enum doc */ /* ??/
@deprecated("enum */ #define ctl_fail_missing(ctx, path, name) 0\n#define ctl_fail_range_int(ctx, p, v) 0\n/* ")
enum Mode {
    /// member doc */ \
    @json("a\"b\\c */ ??/") quoted,
    /// ??/
    @deprecated("member ??/\n*/ x\u0001") @json("é ✓\t") plain,
}

/// struct doc /* ??/
@deprecated("use New instead */\n#include \"ctl/gen.h\"\n#define ctl_fail_missing(ctx, path, name) 0\n#define ctl_fail_range_int(ctx, p, v) 0\n/* ")
struct Old {
    /// field doc */ ??/
    @json("x*/y\n") a: int;
    @deprecated("field */ \\") b?: string;
    @json("??/") s: string = "*/ \"??/\" \\ ??= \n\u0007 é";
    m: Mode = quoted;
}

/// controller doc */
@deprecated("ctrl */ ??/")
controller K {
    /// fn doc */ ??/
    @deprecated("fn */ \\")
    fn f { @range(min: 1, max: 10) x: int; name: string; @json("we\"ird ??/") w?: string; old?: Old; } -> { x: int; }
}
