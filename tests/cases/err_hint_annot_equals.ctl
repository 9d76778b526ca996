// '=' where an annotation argument wants ':'.
struct Photo {
    @range(min = 1) width: int;
}
