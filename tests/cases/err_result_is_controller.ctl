// '-> Name' naming a controller.
controller db {
    fn get { id: string; } -> db
}
