// hello.ctl: the spec of the install test's outside project.
package hello;

/// Greets whoever asks.
controller greeter {
    /// A greeting for name.
    fn greet {
        /// Who to greet.
        @length(min: 1, max: 64) name: string;
    } -> {
        /// "Hello, NAME!"
        greeting: string;
    }
}

/// A program that only calls the greeter (greeter_caller).
client caller uses greeter.greet;
