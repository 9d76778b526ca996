// A wire-name clash in a function payload.
controller users {
    fn find {
        @json("zip-code") zip: string;
        @json("zip-code") postcode: string;
    }
}
