// Two enum members with one wire name.
enum Trade {
    dj,
    @json("dj") disc_jockey,
    @json("photo") photography,
    @json("photo") photographer,
}
