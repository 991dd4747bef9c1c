import Foundation

/// Processes' CPU time, from /proc, for the benchmarks.
package enum ProcessCPU {
    /// A process's CPU seconds (its own, and its reaped children's) and its parent, from /proc/<pid>/stat; `nil`
    /// when the process is gone or the file cannot be read.
    package static func stat(_ pid: Int32) -> (own: Double, children: Double, parent: Int32)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else {
            return nil
        }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
        guard fields.count > 14, let parent = Int32(fields[1]), let utime = Double(fields[11]), let stime = Double(fields[12]),
            let cutime = Double(fields[13]), let cstime = Double(fields[14])
        else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ((utime + stime) / ticks, (cutime + cstime) / ticks, parent)
    }

    /// CPU seconds so far of a PostgreSQL server: the postmaster, its live backends, and the exited ones it reaped;
    /// 0 when its postmaster cannot be found.
    package static func postgres(_ postgres: TestPostgres) -> Double {
        let pidFile = postgres.dataDirectory.appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8), let line = text.split(separator: "\n").first,
            let postmaster = Int32(line.trimmingCharacters(in: .whitespaces))
        else { return 0 }
        var total = stat(postmaster).map { $0.own + $0.children } ?? 0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let child = stat(pid), child.parent == postmaster else { continue }
            total += child.own
        }
        return total
    }
}
