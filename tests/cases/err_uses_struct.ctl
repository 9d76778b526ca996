// 'uses' naming a struct, an enum and a client: only controllers are targets.
struct Leed { id: string; }
enum Trade { dj }
client web;

client api uses Leed, Trade, web;
