package shop;

controller C {
    async fn f {
        id: string;
    }
}

controller D {}
