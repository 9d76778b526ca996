// What string escapes decode to, made visible through @length (which counts
// code points): each simple escape is one character, a \u escape is one, a
// surrogate pair is one, an escaped backslash is one, and UTF-8 text counts
// code points, not bytes. A wrong decoding would break a bound and fail.
struct Decoded {
    @length(min: 1, max: 1) quote: string = "\"";
    @length(min: 1, max: 1) backslash: string = "\\";
    @length(min: 1, max: 1) slash: string = "\/";
    @length(min: 8, max: 8) simple: string = "\"\\\/\b\f\n\r\t";
    @length(min: 1, max: 1) u_ascii: string = "\u0041";
    @length(min: 1, max: 1) u_two_bytes: string = "\u00e9";
    @length(min: 1, max: 1) u_three_bytes: string = "\u20ac";
    @length(min: 1, max: 1) surrogate_pair: string = "\ud83d\ude00";
    @length(min: 3, max: 3) text: string = "a\\b";
    @length(min: 3, max: 3) cjk: string = "日本語";
    @length(min: 5, max: 5) mixed: string = "é\u00e9😀\ud83d\ude00x";
    @length(min: 6, max: 6) not_an_escape: string = "\\u0041";
}
