package p;

struct C_f_args { y: string; }
