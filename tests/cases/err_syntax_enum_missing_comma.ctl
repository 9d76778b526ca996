// Enum members are separated by ','.
enum Trade { dj photography, magician }
