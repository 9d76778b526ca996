// Controllers with `uses`: another controller, functions of others, a chain
// (a uses b uses c), a controller declared later, and a controller with
// `uses` but no functions.
controller front uses middle, back.store {
    fn handle { request: json; } -> { response: json; }
}

controller middle uses back {
    async fn process { id: string; }
}

controller back {
    fn store { blob: string; }
    fn load { id: string; } -> { blob?: string; }
}

controller relay uses front.handle, middle.process {}
