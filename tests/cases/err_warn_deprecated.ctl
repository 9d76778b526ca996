// Warnings only (exit 0): using a deprecated struct, enum, controller and
// function. Nothing inside a deprecated declaration (the fields of struct
// Legacy, the functions of controller db) is flagged for what it uses.
@deprecated("use Leed2")
struct Leed { id: string; }

@deprecated
enum Trade { dj }

@deprecated("moved to db2")
controller db {
    fn get { id: string; } -> Leed
    @deprecated fn old { id: string; } -> Leed
}

controller db2 {
    fn get { leed: Leed; trade: Trade; }
    fn find { id: string; } -> Leed
}

client api uses db, db2.get;
client old_api uses db2.get, db.old;

@deprecated
client legacy_api uses db;

@deprecated
struct Legacy { leed: Leed; }
