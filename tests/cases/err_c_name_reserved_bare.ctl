// Without a package, names made of several parts can still be C's or
// libctl's: a controller named ctl makes ctl_controller and ctl_main; an
// enum named INT64 with a member C makes the macro INT64_C.
controller ctl { async fn main {} }
enum INT64 { C, D }
struct cJSON_thing { x: int; }
