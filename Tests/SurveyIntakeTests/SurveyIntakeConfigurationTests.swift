import CivicKafka
import CivicModels
import CivicRuntime
import CivicTestTraits
import Configuration
import Foundation
import Testing

@testable import SurveyIntake

/// survey-intake's spam, operations and admin settings from `CIVIC_*` variables: defaults, values, and a
/// clear error naming the variable for a bad one.
@Suite(.hangGuard) struct SurveyIntakeConfigurationTests {
    static func configuration(_ environment: [String: String]) throws -> SurveyIntakeConfiguration {
        try SurveyIntakeConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    @Test func defaultsAreTheDocumentedOnes() throws {
        let configuration = try Self.configuration([:])
        #expect(configuration.spam.sourceLimit == 20)
        #expect(configuration.spam.sourceWindowSeconds == 3_600)
        #expect(configuration.spam.repeatThreshold == 3)
        #expect(configuration.spam.repeatWindowSeconds == 86_400)
        #expect(configuration.spam.repeatMinimumCharacters == 20)
        #expect(configuration.spam.linkLimit == 3)
        #expect(configuration.operations.maxHandleSeconds == 86_400)
        #expect(configuration.http.adminToken == nil)
        #expect(configuration.http.apiKeyCacheSeconds == 5)
        #expect(configuration.instrumentCacheSeconds == 5)
        #expect(configuration.runtime.kafkaProducer.lingerMilliseconds == 1)
    }

    @Test func valuesAreRead() throws {
        let configuration = try Self.configuration([
            "CIVIC_INTAKE_SPAM_SOURCE_LIMIT": "5", "CIVIC_INTAKE_SPAM_SOURCE_WINDOW_S": "60",
            "CIVIC_INTAKE_SPAM_REPEAT_THRESHOLD": "4", "CIVIC_INTAKE_SPAM_REPEAT_WINDOW_S": "600",
            "CIVIC_INTAKE_SPAM_REPEAT_MIN_CHARS": "30", "CIVIC_INTAKE_SPAM_LINK_LIMIT": "2", "CIVIC_INTAKE_MAX_HANDLE_S": "7200",
            "CIVIC_INTAKE_ADMIN_TOKEN": "t0ken-t0ken-t0ken", "CIVIC_INTAKE_API_KEY_CACHE_S": "0",
            "CIVIC_KAFKA_LINGER_MS": "20",
        ])
        #expect(configuration.spam.sourceLimit == 5)
        #expect(configuration.spam.sourceWindowSeconds == 60)
        #expect(configuration.spam.repeatThreshold == 4)
        #expect(configuration.spam.repeatWindowSeconds == 600)
        #expect(configuration.spam.repeatMinimumCharacters == 30)
        #expect(configuration.spam.linkLimit == 2)
        #expect(configuration.operations.maxHandleSeconds == 7_200)
        #expect(configuration.http.adminToken == "t0ken-t0ken-t0ken")
        #expect(configuration.http.apiKeyCacheSeconds == 0)
        #expect(configuration.runtime.kafkaProducer.lingerMilliseconds == 20)
    }

    @Test(arguments: [
        ("CIVIC_INTAKE_SPAM_SOURCE_LIMIT", "many"), ("CIVIC_INTAKE_SPAM_SOURCE_LIMIT", "0"),
        ("CIVIC_INTAKE_SPAM_REPEAT_THRESHOLD", "1"), ("CIVIC_INTAKE_SPAM_REPEAT_WINDOW_S", "-5"),
        ("CIVIC_INTAKE_SPAM_LINK_LIMIT", "2.5"), ("CIVIC_INTAKE_MAX_HANDLE_S", "0"),
        ("CIVIC_INTAKE_API_KEY_CACHE_S", "-1"), ("CIVIC_KAFKA_LINGER_MS", "-1"),
    ])
    func aBadValueNamesTheVariable(_ variable: String, _ value: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try Self.configuration([variable: value]) }
        #expect(error?.environmentVariable == variable)
        #expect(error?.description.hasPrefix("\(variable): ") == true)
    }

    @Test func theRegistryFileSeedsInstrumentsByChannel() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("civic-registry-\(UUID().uuidString.prefix(8)).json")
        try Data(
            #"""
            {"agencies": [{"code": "VA", "name": "Veterans Affairs", "services": [{"code": "health-care-enrollment", "name": "Enrollment",
              "instruments": {"phone": {"form": "a11-v1", "ombControlNumber": "2900-0001", "expiresOn": "2028-01-31",
                "trustQuestion": "I trust VA.", "wentWellOptions": [], "didNotGoWellOptions": [], "languages": ["en"]}}}]}]}
            """#.utf8
        ).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try Self.configuration(["CIVIC_INTAKE_REGISTRY_FILE": file.path, "CIVIC_INTAKE_INSTRUMENT_CACHE_S": "30"])
        let instrument = try #require(configuration.registry?.agencies.first?.services.first?.instruments?["phone"])
        #expect(instrument.form == .a11v1)
        #expect(instrument.ombControlNumber == "2900-0001")
        #expect(instrument.problem == nil)
        #expect(configuration.instrumentCacheSeconds == 30)
        #expect(throws: ConfigurationError.self) { try Self.configuration(["CIVIC_INTAKE_INSTRUMENT_CACHE_S": "-1"]) }
    }

    @Test func anAgencyCodeThatCannotNameATopicIsRefusedAndTheTopicRefreshIsBounded() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("civic-registry-\(UUID().uuidString.prefix(8)).json")
        try Data(#"{"agencies": [{"code": "Dept of X", "name": "X", "services": []}]}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = #expect(throws: ConfigurationError.self) { try Self.configuration(["CIVIC_INTAKE_REGISTRY_FILE": file.path]) }
        #expect(error?.reason.contains("agency code \"Dept of X\" must be 1 to 100 letters, digits, '-' or '_'") == true)

        #expect(try Self.configuration([:]).agencyTopicRefreshSeconds == 5)
        #expect(try Self.configuration(["CIVIC_INTAKE_AGENCY_TOPIC_REFRESH_S": "60"]).agencyTopicRefreshSeconds == 60)
        #expect(throws: ConfigurationError.self) { try Self.configuration(["CIVIC_INTAKE_AGENCY_TOPIC_REFRESH_S": "0"]) }
    }
}
