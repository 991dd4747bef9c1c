import CivicTesting
import Foundation

/// Debian's `chromium` in headless mode (installed by ops/bootstrap): dumps a page's DOM after it rendered,
/// or saves a screenshot of it at a window size.
struct HeadlessChromium {
    let executable: URL
    let workDirectory: URL

    init(workDirectory: URL) throws {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestEnvironmentError("chromium is not installed; run ops/bootstrap first")
        }
        executable = URL(fileURLWithPath: path)
        self.workDirectory = workDirectory
    }

    /// The DOM as Chromium serialises it after loading `url` (redirects followed, cookies kept in the
    /// profile `profile`, by default one of its own).
    func dumpDOM(_ url: String, name: String, profile: String? = nil) async throws -> String {
        let output = try await run(["--dump-dom", url], name: name, profile: profile)
        return String(decoding: output, as: UTF8.self)
    }

    /// Saves a PNG of `url` rendered in a `width` x `height` window; returns its path.
    func screenshot(_ url: String, width: Int, height: Int, name: String) async throws -> URL {
        let file = workDirectory.appendingPathComponent("\(name).png")
        _ = try await run(["--screenshot=\(file.path)", "--window-size=\(width),\(height)", "--hide-scrollbars", url], name: name)
        return file
    }

    private func run(_ arguments: [String], name: String, profile: String? = nil) async throws -> Data {
        let profile = workDirectory.appendingPathComponent("chromium-profile-\(profile ?? name)")
        let stdout = workDirectory.appendingPathComponent("chromium-\(name).out")
        let stderr = workDirectory.appendingPathComponent("chromium-\(name).err")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments =
            [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--disable-dev-shm-usage", "--user-data-dir=\(profile.path)",
            ] + arguments
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        let exited = AsyncStream<Int32> { continuation in
            process.terminationHandler = { continuation.yield($0.terminationStatus) }
        }
        try ProcessLauncher.run(process)
        let status = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask { await exited.first { _ in true } }
            group.addTask {
                try await Task.sleep(for: TestPatience.hang)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let status else {
            process.terminate()
            throw TestEnvironmentError("chromium \(name) did not finish within the hang guard")
        }
        guard status == 0 else {
            let log = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
            throw TestEnvironmentError("chromium \(name) exited \(status):\n\(log.suffix(2_000))")
        }
        return try Data(contentsOf: stdout)
    }
}
