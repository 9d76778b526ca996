// @json on a struct, an enum, a controller and a function: only fields and
// enum members have wire names.
@json("leed")
struct Leed { id: string; }

@json("trade")
enum Trade { dj }

@json("db")
controller db {
    @json("get") fn get { id: string; }
}
