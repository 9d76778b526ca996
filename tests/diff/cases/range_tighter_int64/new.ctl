controller C {
    fn f {
        @range(max: 9223372036854775806) a: int;
        @range(min: -9007199254740992) b: int;
        @range(min: 9007199254740992) c: int;
    }
}
