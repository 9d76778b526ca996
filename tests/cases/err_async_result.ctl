// An async fn cannot return a result, neither inline fields nor a struct.
struct Reply { ok: bool; }

controller mail {
    async fn send {
        to: string;
    } -> {
        sent: bool;
    }

    async fn queue {
        to: string;
    } -> Reply
}
