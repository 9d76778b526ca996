// The last field without its ';' before the '}'.
struct Photo { width: int }
