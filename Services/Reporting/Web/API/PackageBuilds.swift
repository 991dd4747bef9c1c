import CivicRuntime
import Foundation
import Synchronization

/// What bounds the exports in one process (replica): the bytes of one `package.zip`, how many are built at once
/// in all (one at a time per agency), and how many Touchpoints exports are streamed at once.
package struct PackageLimits: Sendable, Equatable {
    /// The most bytes a package's files may hold together, before compression (the zip is no larger, save its
    /// headers); past it the request is answered 413. A build needs about twice this on disk (the files, then their
    /// archive), so `concurrentBuilds` × 2 × this fits the pod's 64 Mi `/tmp`. Default: 12 MiB.
    /// (`CIVIC_REPORTING_PACKAGE_MAX_BYTES`)
    package var maximumBytes = 12 * 1024 * 1024
    /// Packages built (and sent) at once by one replica, every agency together; past it 429. Default: 2.
    /// (`CIVIC_REPORTING_PACKAGE_BUILDS`)
    package var concurrentBuilds = 2
    /// Touchpoints exports (`touchpoints.csv`, `.ndjson`) streamed at once by one replica (``ConcurrencyLimit``),
    /// each holding a database connection while its client reads; past it 429. Keep it
    /// at most `CIVIC_POSTGRES_MAX_CONNECTIONS` less two. Default: 2. (`CIVIC_REPORTING_EXPORT_STREAMS`)
    package var concurrentStreams = 2

    /// The documented defaults.
    package init() {}
}

/// The package builds in progress in this process: at most one per agency and ``PackageLimits/concurrentBuilds``
/// in all. A build holds its place from the start of the build until its archive is sent, or the response is
/// dropped unsent (``PackageBuildLease``), so the disk a replica spends on packages is bounded by
/// `concurrentBuilds` × about twice `maximumBytes` (the files and their archive).
package final class PackageBuilds: Sendable {
    /// Why a build may not start now.
    enum Refusal: Error, Equatable {
        /// A package for the agency is being built.
        case agencyBusy
        /// As many packages as allowed are being built.
        case full
    }

    /// The most builds at once.
    let limit: Int
    private let building = Mutex<Set<String>>([])

    /// - Parameter limit: The most builds at once (at least 1).
    package init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a place for a build of `agency`'s package whose files go in `workDirectory`.
    func start(agency: String, workDirectory: URL) throws(Refusal) -> PackageBuildLease {
        let refusal: Refusal? = building.withLock { agencies in
            if agencies.contains(agency) { return .agencyBusy }
            if agencies.count >= limit { return .full }
            agencies.insert(agency)
            return nil
        }
        if let refusal { throw refusal }
        return PackageBuildLease(builds: self, agency: agency, workDirectory: workDirectory)
    }

    /// Builds in progress (for tests).
    var count: Int { building.withLock { $0.count } }

    fileprivate func finish(agency: String) {
        _ = building.withLock { $0.remove(agency) }
    }
}

/// One build's place in ``PackageBuilds`` and its private work directory. ``finish()`` (or, at the latest, the
/// lease's end, when the response holding it is sent or dropped, the client gone) deletes the directory and frees
/// the place, once.
package final class PackageBuildLease: Sendable {
    let workDirectory: URL
    private let agency: String
    private let builds: PackageBuilds
    private let finished = Mutex(false)

    fileprivate init(builds: PackageBuilds, agency: String, workDirectory: URL) {
        self.builds = builds
        self.agency = agency
        self.workDirectory = workDirectory
    }

    /// Creates the work directory, readable by this process's user only (0700); it must not exist yet.
    func createWorkDirectory() throws {
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: workDirectory.path)
    }

    /// Deletes the work directory and frees the place (once; later calls do nothing).
    func finish() {
        let first = finished.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        try? FileManager.default.removeItem(at: workDirectory)
        builds.finish(agency: agency)
    }

    deinit { finish() }
}
