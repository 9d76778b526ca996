// Unicode in string defaults: \u escapes in lower and upper case hex, a
// surrogate pair for a character outside the BMP (both cases), and UTF-8 text
// written directly (accents, CJK, an emoji, a right-to-left script).
struct Unicode {
    e_acute: string = "\u00e9";
    euro_upper: string = "\u20AC";
    bmp_last: string = "\uFFFD";
    pair_lower: string = "\ud83d\ude00";
    pair_upper: string = "\uD834\uDD1E";
    pair_max: string = "\udbff\udfff";
    mixed: string = "caf\u00e9 \ud83c\udf70!";
    direct: string = "Grüße, 日本語, 😀, שלום";
    @length(max: 1) one_emoji: string = "😀";
    @length(max: 1) one_escaped_emoji: string = "\ud83d\ude00";
    @length(min: 4, max: 4) four_code_points: string = "ñäöü";
}
