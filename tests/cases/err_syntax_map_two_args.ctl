// map<T> has one type argument (its keys are always strings); a
// map<string, int> written as in other languages is a syntax error.
struct S {
    counts: map<string, int>;
}
