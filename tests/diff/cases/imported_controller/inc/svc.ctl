controller Svc {
    async fn go {
        id: string;
    }
}
