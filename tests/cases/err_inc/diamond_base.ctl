// Imported by both sides of the diamond: loaded once, so its names are not
// duplicates of themselves.
enum Trade { dj, magician }
