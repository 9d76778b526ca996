// ctlc: --werror
// The same warnings as err_warn_deprecated, with --werror: exit 1.
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
