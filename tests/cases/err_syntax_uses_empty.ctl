// 'uses' followed by nothing: a target (a controller name) is expected.
controller db {
    fn get { id: string; }
}

client api uses;
