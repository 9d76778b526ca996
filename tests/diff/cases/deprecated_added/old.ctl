package shop;

controller C {
    async fn f {
        id: string;
        old?: string;
    }
}
