@deprecated struct Old {} struct New { old: Old; }
// A file with a byte order mark whose first line holds code: a warning on
// line 1 must count columns from after the mark (the caret under `Old`).
