import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// ops/supervise, which ops/local runs every service under: a service that is killed is started again, one whose
/// liveness check answers 503 is restarted, each restart is recorded (what `ops/local status` counts), and
/// stopping the supervisor stops the service. The supervised process is a small HTTP server (the project's Python)
/// whose /health answers what a file says, standing in for a service's liveness endpoint. The scenario runs as
/// one shell script that cleans up everything it started, waiting on conditions only (each wait bounded by the
/// hang guard's five minutes).
@Suite("ops/supervise", .startsProcesses, .hangGuard)
struct SuperviseTests {
    static let server = """
        import http.server, os, sys
        port, answer_file = int(sys.argv[1]), sys.argv[2]
        class Health(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status = int(open(answer_file).read().strip()) if os.path.exists(answer_file) else 200
                self.send_response(status)
                self.end_headers()
            def log_message(self, *args):
                pass
        http.server.HTTPServer(("127.0.0.1", port), Health).serve_forever()
        """

    static let scenario = #"""
        set -u
        dir="$1" port="$2" python="$3" supervise="$4"
        health="http://127.0.0.1:$port/health"
        CIVIC_SUPERVISE_PROBE_S=0.2 CIVIC_SUPERVISE_STOP_S=5 "$supervise" demo "$dir/state" "$dir/demo.log" "$health" -- \
            "$python" "$dir/health.py" "$port" "$dir/answer" </dev/null >/dev/null 2>&1 &
        supervisor=$!
        wait_for() { for _ in $(seq 1 3000); do eval "$1" && return 0; sleep 0.1; done; return 1; }
        fail() { echo "FAIL: $*"; cat "$dir/demo.log"; kill -TERM "$supervisor"; wait "$supervisor"; exit 1; }
        restarts() { [ -f "$dir/state/demo.restarts" ] && wc -l <"$dir/state/demo.restarts" | tr -d ' ' || echo 0; }
        answers() { curl -fs -o /dev/null --max-time 2 "$health"; }
        wait_for answers || fail "the service never answered"
        first="$(cat "$dir/state/demo.pid")"
        kill -KILL "$first"
        wait_for '[ "$(cat "$dir/state/demo.pid" 2>/dev/null)" != "$first" ] && answers' || fail "not restarted after SIGKILL"
        [ "$(restarts)" = 1 ] || fail "restarts: $(restarts), expected 1"
        grep -q "$(printf '\t137\texited')" "$dir/state/demo.restarts" || fail "the restart does not record status 137"
        second="$(cat "$dir/state/demo.pid")"
        echo 503 >"$dir/answer"
        wait_for '[ "$(restarts)" = 2 ]' || fail "not restarted while /health answered 503"
        grep -q "liveness probe failed" "$dir/state/demo.restarts" || fail "the restart does not name the liveness probe"
        kill -0 "$second" 2>/dev/null && fail "the unhealthy process still runs"
        rm "$dir/answer"
        wait_for answers || fail "the restarted service never answered"
        third="$(cat "$dir/state/demo.pid")"
        kill -TERM "$supervisor"
        wait "$supervisor"
        kill -0 "$third" 2>/dev/null && fail "the service outlived its supervisor"
        echo "OK restarts=$(restarts)"
        """#

    @Test("a killed service is started again, an unhealthy one restarted, each restart recorded, a stop stops it")
    func supervision() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-supervise-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.server.write(to: folder.appendingPathComponent("health.py"), atomically: true, encoding: .utf8)
        let script = folder.appendingPathComponent("scenario.sh")
        try Self.scenario.write(to: script, atomically: true, encoding: .utf8)
        // The test process blocks SIGTERM in its threads, and a child inherits the mask: the launcher clears it,
        // as a shell that runs ops/local has it clear, so that the supervisor's stop on SIGTERM is what is tested.
        let run = try ManagedProcess(
            executable: RepositoryLayout.python,
            arguments: [
                "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv('/bin/bash', ['bash'] + sys.argv[1:])",
                script.path, folder.path, String(try freeLoopbackPort()), RepositoryLayout.python.path,
                RepositoryLayout.root.appendingPathComponent("ops/supervise").path,
            ],
            logFile: folder.appendingPathComponent("scenario.log")
        )
        await run.waitForExit()
        let output = (try? String(contentsOf: run.logFile, encoding: .utf8)) ?? ""
        #expect(run.terminationStatus == 0, "\(output)")
        #expect(output.contains("OK restarts=2"), "\(output)")
    }
}
