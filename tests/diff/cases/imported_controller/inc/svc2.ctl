controller Svc {
    async fn go {
        id: int;
    }
}
