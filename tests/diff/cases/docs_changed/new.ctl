package shop;

/// New words.
controller C {
    async fn f {
        /// The id, unique.
        id: string;
    }
}
