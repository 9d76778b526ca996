// Two fields whose names differ but whose wire names (after @json) are the
// same: one by renaming onto the other's name, two by renaming onto one name.
struct Person {
    first_name: string;
    @json("first_name") given: string;
    @json("last-name") surname: string;
    @json("last-name") family: string;
}
