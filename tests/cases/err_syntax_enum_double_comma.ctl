// Two ',' in a row in an enum (only one trailing ',' is allowed).
enum Trade { dj,, magician }
