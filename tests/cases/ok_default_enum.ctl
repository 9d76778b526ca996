// Enum member names as defaults, including members whose names are keywords
// (`struct`, `map`, `true`, `false`, `string`): the default names the member,
// it is not the bool literal or a type. Also a member with an @json wire name
// (the default uses the spec name), and an enum declared after its use.
struct Settings {
    color: Color = red;
    word: Word = struct;
    container: Word = map;
    yes: Answer = true;
    no: Answer = false;
    text: Word = string;
    wire: Color = dark_blue;
}

enum Color { red, green, @json("dark-blue") dark_blue }
enum Word { struct, map, fn, string }
enum Answer { true, false, maybe }

controller settings {
    fn configure {
        color: Color = green;
        answer: Answer = maybe;
    } -> {
        word: Word = fn;
    }
}
