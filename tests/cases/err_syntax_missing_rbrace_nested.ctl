// A controller whose function body is closed but the controller is not: the
// note points at the controller's '{', the innermost one still open.
controller db {
    fn get {
        id: string;
    } -> {
        found: bool;
    }
