import CivicKafka
import CivicModels
import Foundation
import Testing

@testable import SurveyIntake

/// One row of an HTTP rejection table: what is posted and how it must be refused.
struct IntakeHTTPRejectionRow: Sendable {
    var name: String
    var bytes: [UInt8]
    /// 202 with a rejected item, or 400 for a body that is not JSON.
    var status: Int
    var code: String
    var field: String?
    var reason: String
}

extension IntakeHTTPHarness {
    /// Posts each row to `path` on its own, checks the answer (per-item result or error body, with code, field
    /// and reason), then checks that the rejected topic holds one record per row with its original bytes and
    /// its request id, minus identity credentials.
    func checkRejections(_ rows: [IntakeHTTPRejectionRow], path: String, key: String) async throws {
        var requestIds: [String: IntakeHTTPRejectionRow] = [:]
        for row in rows {
            let reply = try await send("POST", path, body: row.bytes, bearer: key)
            #expect(reply.status == row.status, "\(row.name)")
            guard let requestId = reply.requestId else {
                Issue.record("\(row.name): no X-Request-Id")
                continue
            }
            requestIds[requestId] = row
            if row.status == 202 {
                let result = try reply.decode(SubmissionResult.self)
                #expect(result.requestId == requestId)
                #expect(result.results.count == 1, "\(row.name)")
                let item = try #require(result.results.first)
                #expect(item.status == .rejected, "\(row.name)")
                #expect(item.code == row.code, "\(row.name)")
                #expect(item.field == row.field, "\(row.name)")
                #expect(item.reason?.hasPrefix(row.reason) == true, "\(row.name): got \(item.reason ?? "nil")")
            } else {
                let error = try reply.decode(APIErrorBody.self)
                #expect(error.code == row.code, "\(row.name)")
                #expect(error.reason.hasPrefix(row.reason), "\(row.name): got \(error.reason)")
                #expect(error.requestId == requestId)
            }
        }

        let reader = try reader(CivicTopic.rejected)
        let decoder = CivicJSON.makeDecoder()
        let messages = try await Self.read(reader) { $0.count >= rows.count }
        let published = try messages.map { try decoder.decode(RejectedFeedback.self, from: Data($0.value)) }
        #expect(published.count == rows.count)
        for record in published {
            let row = try #require(record.source.httpRequestId.flatMap { requestIds[$0] }, "unexpected rejection \(record)")
            #expect(record.code.rawValue == row.code, "\(row.name)")
            // The bytes as sent, but for identity credentials (a row whose token is refused loses its token).
            #expect(record.original == Data(CredentialScrubber.scrub(row.bytes)).base64EncodedString(), "\(row.name): original bytes kept")
            if String(decoding: row.bytes, as: UTF8.self).contains("idToken") {
                #expect(!String(decoding: Data(base64Encoded: record.original) ?? Data(), as: UTF8.self).contains("\"idToken\":\""), "\(row.name)")
            }
            #expect(record.source.topic == nil)
        }
        #expect(Set(published.compactMap(\.source.httpRequestId)) == Set(requestIds.keys))
        await reader.close()
    }
}
