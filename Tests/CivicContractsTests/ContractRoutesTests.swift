import CivicContracts
import CivicModels
import CivicTestTraits
import Foundation
import Hummingbird
import HummingbirdTesting
import ReportingWeb
import SurveyIntake
import Testing

/// survey-intake and reporting serve the same bytes as the committed documents, through their routers (the
/// end-to-end tests read them from the running services).
@Suite(.hangGuard) struct ContractRoutesTests {
    static func intakeApplication() throws -> some ApplicationProtocol {
        let router = Router()
        try ContractRoutes(openAPI: IntakeAPI.openAPI, events: true).register(on: router)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test func intakeServesTheContracts() async throws {
        let documents = try Published.documents()
        try await Self.intakeApplication().test(.router) { client in
            let index = try await client.execute(uri: "/v1/contracts", method: .get)
            #expect(index.status == .ok)
            let contents = try CivicJSON.makeDecoder().decode(ContractIndex.self, from: Data(Array(buffer: index.body)))
            #expect(contents.schemas.count == EventCatalog.all.count)
            for (schemaId, path) in contents.schemas {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(schemaId)")
                #expect(response.headers[.contentType] == "application/schema+json")
                let file = try #require(documents.file(String(path.dropFirst("/v1/contracts/".count))))
                #expect(Array(buffer: response.body) == file.bytes, "\(path)")
            }
            let asyncAPI = try await client.execute(uri: contents.asyncapi, method: .get)
            #expect(Array(buffer: asyncAPI.body) == documents.file(ContractDocuments.asyncAPIPath)?.bytes)
            let openAPI = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(Array(buffer: openAPI.body) == documents.file(ContractDocuments.openAPIPath("survey-intake"))?.bytes)
        }
    }

    @Test func anUnknownSchemaNameIsANotFoundNamingTheParameter() async throws {
        try await Self.intakeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/v1/contracts/schemas/cx.nothing.v9.schema.json", method: .get)
            #expect(response.status == .notFound)
            let body = String(buffer: response.body)
            #expect(body.contains("name: no schema 'cx.nothing.v9.schema.json'"))
            #expect(body.contains("cx.feedback.submitted.v1.schema.json"))
        }
    }

    @Test func reportingServesItsOpenAPIDocument() async throws {
        let router = Router()
        try ContractRoutes(openAPI: ReportingAPI.openAPI).register(on: router)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let expected = try Published.documents().file(ContractDocuments.openAPIPath("reporting"))?.bytes
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(Array(buffer: response.body) == expected)
            let contracts = try await client.execute(uri: "/v1/contracts", method: .get)
            #expect(contracts.status == .notFound)
        }
    }
}
