package shop;

/// Old words.
controller C {
    async fn f {
        /// The id.
        id: string;
    }
}
