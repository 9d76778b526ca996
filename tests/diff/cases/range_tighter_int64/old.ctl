controller C {
    fn f {
        @range(max: 9223372036854775807) a: int;
        @range(min: -9007199254740993) b: int;
        @range(min: 9007199254740992) c: int;
    }
}
