import CivicTestTraits
import Foundation
import Testing

@testable import ReportingWeb

/// The exports' places in one process: one package build per agency, a cap on all builds and on Touchpoints
/// streams, each place freed once, by its lease's end at the latest (a response dropped unsent), with the build's
/// private work directory.
@Suite(.hangGuard) struct ExportGatesTests {
    @Test func packageBuildsAreOnePerAgencyAndCappedAndALeaseFreesItsPlaceAndDirectory() throws {
        let builds = PackageBuilds(limit: 2)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("civic-gates-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var irs: PackageBuildLease? = try builds.start(agency: "IRS", workDirectory: root.appendingPathComponent("irs"))
        try irs?.createWorkDirectory()
        let mode = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("irs").path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o700)
        #expect(throws: PackageBuilds.Refusal.agencyBusy) { try builds.start(agency: "IRS", workDirectory: root.appendingPathComponent("x")) }
        let dol = try builds.start(agency: "DOL", workDirectory: root.appendingPathComponent("dol"))
        #expect(throws: PackageBuilds.Refusal.full) { try builds.start(agency: "SSA", workDirectory: root.appendingPathComponent("y")) }
        dol.finish()
        dol.finish()
        #expect(builds.count == 1, "finishing twice frees one place")
        // The IRS lease dropped unfinished (a response never sent): its place and directory go with it.
        irs = nil
        #expect(builds.count == 0)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("irs").path))
        _ = try builds.start(agency: "IRS", workDirectory: root.appendingPathComponent("irs"))
    }

    @Test func touchpointsStreamsAreCappedAndALeaseFreesItsPlaceOnce() throws {
        let streams = ConcurrencyLimit(limit: 1)
        var first = streams.start()
        #expect(first != nil)
        #expect(streams.start() == nil)
        first?.finish()
        first?.finish()
        var second = streams.start()
        #expect(second != nil)
        #expect(streams.start() == nil, "finishing twice freed one place only")
        second = nil
        first = nil
        #expect(streams.start() != nil)
    }
}
