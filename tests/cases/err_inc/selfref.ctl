// A struct cycle in an imported file.
struct Ring {
    link: Link;
}

struct Link {
    ring: Ring;
}
