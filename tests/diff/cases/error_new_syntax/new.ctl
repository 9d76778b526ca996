controller C { async fn f { id string; } }
