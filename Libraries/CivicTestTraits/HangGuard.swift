import Testing

extension Trait where Self == TimeLimitTrait {
    /// The time limit of every test: a guard against a hang, never a measure of speed.
    ///
    /// A test waits on conditions (a row, a message, a state), each wait bounded by `TestPatience.hang`; this
    /// limit sits above a test's longest chain of such waits, so a slow or loaded machine never reaches it
    /// while the test makes progress. Only a test that is stuck runs into it.
    package static var hangGuard: Self { .timeLimit(.minutes(20)) }
}
