// A function outside any controller.
fn notify {
    id: string;
}

controller mail {
    fn send {
        to: string;
    }
}
