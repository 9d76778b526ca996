// Texts that mean something in Markdown, HTML, DOT, Mermaid, C or JSON, in
// every place a spec holds free text: docs, deprecation reasons, wire names,
// string defaults. Checked clean here; tests/schema keeps what ctlc schema,
// asyncapi, doc and iam make of them (the doc golden shows the escaping of
// escape.h), and tests/props throws thousands of such specs at every output.

/// # Not a heading
/// > not a quote
/// - not an item
/// 1. not a list
/// ===
/// ```
/// <script>alert(1)</script> [link](javascript:alert(1)) &amp; | a | b |
/// |---|---|
///     not code
/// `code|span` and *emphasis* stay; \*escaped\* too; a backslash at the end \
@deprecated("use New */ #include <x.h> /* `tick` | pipe <b>bold</b>\n# heading")
struct Old {
    /// -->
    @json("wire`name|<i>\"quoted\"") a: string = "def`ault | <b> --> \\ \"q\"";
    @deprecated("reason with ]] and [x](y)") b?: int;
}

/// ~~~
enum Mark {
    /// <!-- comment
    @json("a|b") @deprecated("``` fence") pipe,
    @json("back`tick") tick,
}

/// A client whose doc says n9["injected"] and -.-> too.
@deprecated("old \"client\" -->")
client K uses C;

/// ??/
controller C {
    /// * item
    /// ___
    @deprecated("use g: ~~strike~~ $x$")
    fn f {
        @json("--> x") m: Mark = tick;
        o: Old;
    } -> {
        /// | cell | cell |
        r: string;
    }
}
