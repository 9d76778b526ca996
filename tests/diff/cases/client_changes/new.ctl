package shop;

controller C {
    async fn f {
        id: string;
    }
}

client Api uses C.f;
