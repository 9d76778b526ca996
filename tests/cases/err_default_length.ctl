// String defaults outside their @length, which counts code points: "héllo"
// is 5 long, not 6.
struct S {
    @length(min: 3) a: string = "ab";
    @length(max: 4) b: string = "héllo";
    @length(max: 5) ok: string = "héllo";
}
