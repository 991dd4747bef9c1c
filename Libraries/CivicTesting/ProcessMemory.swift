import Foundation

/// This process's memory, for the benchmarks.
package enum ProcessMemory {
    /// The peak resident set size (`VmHWM` in /proc/self/status), in MiB; NaN where it cannot be read.
    package static func peakResidentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            if let kib = line.split(separator: " ").compactMap({ Double($0) }).first { return kib / 1024 }
        }
        return .nan
    }
}
