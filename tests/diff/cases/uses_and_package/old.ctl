package shop;

controller C uses D.g {
    async fn f {}
}

controller D {
    async fn g {}
}

client Web uses C, D;
