package store;

controller C uses D {
    async fn f {}
}

controller D {
    async fn g {}
}

client Web uses C;
