// String defaults using every JSON escape: \" \\ \/ \b \f \n \r \t and \u;
// the empty string; and a string that is only escapes. The dump shows each
// literal as written in the spec.
struct Escapes {
    empty: string = "";
    quote: string = "say \"hi\"";
    backslash: string = "C:\\temp\\x";
    slash: string = "a\/b";
    backspace: string = "\b";
    formfeed: string = "\f";
    newline: string = "line1\nline2";
    carriage: string = "\r\n";
    tab: string = "a\tb";
    unicode: string = "\u0041\u0062";
    all: string = "\"\\\/\b\f\n\r\t\u0020";
    control: string = "\u0001\u001f\u007f";
    comment_like: string = "// not a comment /* nor this */ /// nor a doc";
}
