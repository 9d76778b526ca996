// The same member twice in an enum; case matters ('DJ' is another member).
enum Trade { dj, magician, DJ, dj }
