// Everything without blanks where the grammar allows it, on one line with no
// final newline: `>>` closes two types, `=-1` is a negative default.
struct A{x:int=-1;y?:list<map<string>>;z:map<list<int>>;@length(min:1)s:string;}enum B{c,@json("D")d,}controller E uses G.f,G{fn g{a:B=d;}->{b:A;}fn h{}->A}controller G{async fn f{}}client F uses E,E.g;