/// How long a test waits for something that must happen before it calls the wait a hang.
///
/// Tests wait on conditions (a row, a message, a state, a process that is ready), never for a fixed time, and
/// every such wait is bounded by ``hang``: a guard against a hang, never a measure of speed. A loaded machine
/// half as fast as a developer's never reaches it while the awaited thing is still coming; only a test that
/// is stuck does, and then it fails with what it was waiting for instead of holding the run.
package enum TestPatience {
    /// The bound of every wait on a condition: five minutes.
    package static let hang: Duration = .seconds(300)
    /// ``hang`` in seconds, for APIs that take a `TimeInterval` (URLRequest's idle timeout).
    package static let hangSeconds: Double = 300
}
