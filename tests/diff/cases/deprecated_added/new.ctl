package shop;

controller C {
    @deprecated
    async fn f {
        id: string;
        @deprecated("use id") old?: string;
    }
}
