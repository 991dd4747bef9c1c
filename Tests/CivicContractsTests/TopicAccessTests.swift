import CivicContracts
import CivicModels
import CivicTestTraits
import Testing

/// The broker access table (``TopicAccess``, from which compose.yaml's ACLs are checked) says what the event
/// catalog says: a service writes exactly the topics it is a sender of, and reads exactly those it receives.
@Suite(.hangGuard) struct TopicAccessTests {
    @Test(arguments: TopicAccess.services.map(\.principal))
    func aServiceReadsAndWritesWhatTheCatalogSays(_ service: String) throws {
        let access = try #require(TopicAccess.services.first { $0.principal == service })
        // "reporting (reporting delete)" names reporting too.
        func names(_ parties: [String]) -> Bool { parties.contains { $0 == service || $0.hasPrefix(service + " ") } }
        let sends = Set(EventCatalog.all.filter { names($0.senders) }.map(\.topic))
        let receives = Set(EventCatalog.all.filter { names($0.receivers) }.map(\.topic))
        #expect(access.writes == sends, "\(service) writes \(access.writes.sorted()), the catalog says \(sends.sorted())")
        #expect(access.reads == receives, "\(service) reads \(access.reads.sorted()), the catalog says \(receives.sorted())")
        #expect(access.groups.allSatisfy { $0 == service || $0.hasPrefix(service + "-") }, "\(service) joins another's group")
        #expect(access.reads.union(access.writes).isSubset(of: Set(CivicTopic.all)))
    }

    @Test func anAgencyWritesTheSubmittedTopicOnly() {
        let agency = TopicAccess.agency("IRS")
        #expect(agency.principal == "agency-irs")
        #expect(agency.writes == [CivicTopic.submitted] && agency.reads.isEmpty && agency.groups.isEmpty)
        let submitters = EventCatalog.all.filter { $0.topic == CivicTopic.submitted }.flatMap(\.senders)
        #expect(submitters.contains("agency systems"))
    }
}
