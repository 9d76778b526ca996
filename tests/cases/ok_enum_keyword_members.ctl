// Every keyword of the language as an enum member name (a keyword falls back
// to an identifier there), first, in the middle and last.
enum Word { struct, map, fn }

enum Every {
    package, import, enum, struct, controller, client, uses, fn, async,
    true, false, string, int, float, bool, json, list, map
}

enum KeywordLast { plain, json }
