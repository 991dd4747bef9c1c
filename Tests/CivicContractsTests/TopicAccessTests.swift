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
        // A prefix grants the agencies' topics, which the catalog names `cx.feedback.submitted.v1.{agency}`;
        // survey-intake reads the retired shared topic only to dead-letter what still arrives there.
        let writes = access.writes.union(access.writePrefixes.map { $0 + "{agency}" })
        let reads = access.reads.subtracting([CivicTopic.legacySubmitted]).union(access.readPrefixes.map { $0 + "{agency}" })
        #expect(writes == sends, "\(service) writes \(writes.sorted()), the catalog says \(sends.sorted())")
        #expect(reads == receives, "\(service) reads \(reads.sorted()), the catalog says \(receives.sorted())")
        #expect(access.groups.allSatisfy { $0 == service || $0.hasPrefix(service + "-") }, "\(service) joins another's group")
        #expect(access.reads.union(access.writes).isSubset(of: Set(CivicTopic.all)))
        #expect(access.readPrefixes.union(access.writePrefixes).isSubset(of: [CivicTopic.agencySubmittedPrefix]))
    }

    @Test func anAgencyWritesItsOwnSubmittedTopicOnly() {
        let agency = TopicAccess.agency("IRS")
        #expect(agency.principal == "agency-irs")
        #expect(agency.writes == ["cx.feedback.submitted.v1.irs"] && agency.reads.isEmpty && agency.groups.isEmpty)
        #expect(agency.readPrefixes.isEmpty && agency.writePrefixes.isEmpty)
        #expect(TopicAccess.agency("SSA").writes.isDisjoint(with: agency.writes))
        // No service may write the retired shared topic; only survey-intake reads it.
        #expect(TopicAccess.services.allSatisfy { !$0.writes.contains(CivicTopic.legacySubmitted) })
        #expect(TopicAccess.services.filter { $0.reads.contains(CivicTopic.legacySubmitted) }.map(\.principal) == ["survey-intake"])
        let submitters = EventCatalog.all.filter { $0.topic == CivicTopic.agencySubmittedAddress }.flatMap(\.senders)
        #expect(submitters.contains("agency systems"))
    }

    @Test func anAgencyTopicNamesItsAgencyAndNothingElseParses() {
        #expect(CivicTopic.submitted(agency: "IRS") == "cx.feedback.submitted.v1.irs")
        #expect(CivicTopic.agency(ofSubmitted: "cx.feedback.submitted.v1.irs") == "irs")
        #expect(CivicTopic.agency(ofSubmitted: CivicTopic.submitted(agency: "dept_of-X9")) == "dept_of-x9")
        for topic in [
            CivicTopic.legacySubmitted, "cx.feedback.submitted.v1.", "cx.feedback.submitted.v1.IRS", "cx.feedback.submitted.v1.irs.x",
            "cx.feedback.submitted.v1.i rs", "cx.feedback.submitted.v2.irs", "cx.feedback.accepted.v1.irs", "xcx.feedback.submitted.v1.irs",
            "cx.feedback.submitted.v1.\u{212A}rs", "cx.feedback.submitted.v1.é", "cx.feedback.submitted.v1." + String(repeating: "a", count: 101),
        ] {
            #expect(CivicTopic.agency(ofSubmitted: topic) == nil, "\(topic)")
        }
        #expect(CivicTopic.agency(ofSubmitted: "cx.feedback.submitted.v1." + String(repeating: "a", count: 100)) != nil)
        for code in ["", "I RS", "IRS.", "ÉTAT", "\u{212A}", String(repeating: "A", count: 101)] {
            #expect(!CivicTopic.isAgencyCode(code), "\(code)")
        }
        #expect(CivicTopic.carriesIdentityTokens("cx.feedback.submitted.v1.irs") && !CivicTopic.carriesIdentityTokens(CivicTopic.scored))
    }

    @Test func theSubscriptionPatternMatchesExactlyTheTopicsTheParserReads() throws {
        let pattern = try Regex(CivicTopic.agencySubmittedPattern)
        for topic in [
            "cx.feedback.submitted.v1.irs", "cx.feedback.submitted.v1.dept_of-x9", CivicTopic.legacySubmitted, "cx.feedback.submitted.v1.IRS",
            "cx.feedback.submitted.v1.irs.x", "cx.feedback.submitted.v1.", "cx.feedback.submittedxv1.irs", CivicTopic.accepted,
        ] {
            #expect((topic.wholeMatch(of: pattern) != nil) == (CivicTopic.agency(ofSubmitted: topic) != nil), "\(topic)")
        }
    }
}
