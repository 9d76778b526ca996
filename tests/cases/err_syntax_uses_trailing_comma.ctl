// A 'uses' list that ends with ',' instead of a target.
controller db {
    fn get { id: string; }
}

client api uses db,;
