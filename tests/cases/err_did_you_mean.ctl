// Unknown names get a suggestion when a visible name is close (edit
// distance, letters compared without case): types (the built-in ones too),
// enum members in defaults, annotations and their arguments, controllers
// and functions in `uses`. A name with nothing close gets none.
package p;

enum ImageFormat { jpeg, png }

struct Photo {
    fmt: ImgFormat;
    name: String;
    size: Int;
    f: ImageFormat = Png;
    other: Nothing;
}

controller media_helper {
    fn makeThumbnails {
        @lenght(min: 1) id: string;
        @range(mn: 1) q: int;
        @frobnicate x: int;
    } -> Phot
}

client upload uses media_helpr, media_helper.makeThumbnail;
