// Bool defaults: true and false, in a struct and in a payload.
struct Toggles {
    on: bool = true;
    off: bool = false;
}

controller toggles {
    fn set {
        enabled: bool = true;
        dry_run: bool = false;
    }
}
