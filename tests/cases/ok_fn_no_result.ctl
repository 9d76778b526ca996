// Plain fn without `->`: a synchronous function whose response is null.
controller cache {
    fn invalidate { key: string; }
    fn flush {}
    fn set {
        key: string;
        value: json;
        ttl?: int;
    }
}
