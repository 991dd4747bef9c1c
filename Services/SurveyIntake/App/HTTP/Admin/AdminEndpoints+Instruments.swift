import CivicModels
import CivicRuntime
import Foundation
import Hummingbird
import Logging

extension APIError.Code {
    /// The agency has no such service.
    static let unknownService: Self = "unknown_service"
    /// The agency has no instrument for this service and channel.
    static let unknownInstrument: Self = "unknown_instrument"
}

/// The survey instrument routes, behind the admin token:
/// - `GET /v1/admin/agencies/{code}/instruments`: the agency's instruments (``InstrumentList``), each with the
///   days left on its PRA clearance;
/// - `PUT /v1/admin/agencies/{code}/instruments/{service}/{channel}`: sets the instrument (an
///   ``InstrumentDefinition``) for that service and channel, replacing the one before;
/// - `DELETE /v1/admin/agencies/{code}/instruments/{service}/{channel}`: retires it.
extension AdminEndpoints {
    func registerInstrumentRoutes(on router: some RouterMethods<IntakeRequestContext>) {
        router.get("v1/admin/agencies/:code/instruments") { request, context in
            await answer(request, context) { (code, requestId) async throws(APIError) in
                try await listInstruments(code, requestId: requestId)
            }
        }
        router.put("v1/admin/agencies/:code/instruments/:service/:channel") { request, context in
            await answer(request, context) { (code, requestId) async throws(APIError) in
                try await setInstrument(try Self.instrumentKey(code, context), request: request, requestId: requestId)
            }
        }
        router.delete("v1/admin/agencies/:code/instruments/:service/:channel") { request, context in
            await answer(request, context) { (code, requestId) async throws(APIError) in
                try await retireInstrument(try Self.instrumentKey(code, context), requestId: requestId)
            }
        }
    }

    static func instrumentKey(_ code: String, _ context: IntakeRequestContext) throws(APIError) -> InstrumentRegistry.Key {
        guard let service = context.parameters.get("service"), isValidCode(service) else {
            throw .badRequest(RejectionCode.invalidValue, "service: must be 1 to 100 letters, digits, '-' or '_'", field: "service")
        }
        let channelName = context.parameters.get("channel") ?? ""
        guard let channel = Channel(rawValue: channelName) else {
            throw .badRequest(
                RejectionCode.invalidValue,
                "channel: must be one of \(Channel.allCases.map(\.rawValue).joined(separator: ", "))",
                field: "channel"
            )
        }
        return InstrumentRegistry.Key(agency: code, service: service, channel: channel)
    }

    private func listInstruments(_ code: String, requestId: String) async throws(APIError) -> Response {
        do {
            return HTTPResponses.json(.ok, InstrumentList(agency: code, instruments: try await instruments.list(agency: code)), requestId: requestId)
        } catch {
            logger.error("listing instruments failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
    }

    private func setInstrument(_ key: InstrumentRegistry.Key, request: Request, requestId: String) async throws(APIError) -> Response {
        let bytes = try await HTTPResponses.body(of: request, limit: 64 << 10)
        let definition: InstrumentDefinition
        do {
            definition = try JSONDecoder().decode(InstrumentDefinition.self, from: Data(bytes))
        } catch let error as DecodingError {
            let rejection = ResponseValidator.rejection(for: error, eventId: nil)
            throw .badRequest(rejection.code, rejection.reason, field: rejection.field)
        } catch {
            throw .badRequest(.notJSON, "the body is not JSON")
        }
        if let problem = definition.problem {
            throw .badRequest(.invalidValue, problem, field: problem.split(separator: ":").first.map(String.init))
        }
        let outcome: InstrumentRegistry.Outcome
        do {
            outcome = try await instruments.set(definition, for: key)
        } catch {
            logger.error("setting an instrument failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        guard outcome == .stored else {
            throw APIError(
                .notFound,
                code: .unknownService,
                reason: "service: \"\(key.service)\" is not a registered service of \(key.agency)",
                field: "service"
            )
        }
        logger.notice(
            "survey instrument set",
            metadata: [
                "civic.agency": "\(key.agency)", "civic.service": "\(key.service)", "civic.channel": "\(key.channel.rawValue)",
                "civic.omb_control_number": "\(definition.ombControlNumber)", "civic.pra_expires_on": "\(definition.expiresOn)",
            ]
        )
        return HTTPResponses.json(.ok, definition, requestId: requestId)
    }

    private func retireInstrument(_ key: InstrumentRegistry.Key, requestId: String) async throws(APIError) -> Response {
        let retired: Bool
        do {
            retired = try await instruments.retire(key)
        } catch {
            logger.error("retiring an instrument failed", metadata: ["error": "\(error)"])
            throw .databaseUnavailable
        }
        guard retired else {
            throw APIError(
                .notFound,
                code: .unknownInstrument,
                reason: "\(key.agency) has no instrument for service \"\(key.service)\" on channel \(key.channel.rawValue)"
            )
        }
        logger.notice(
            "survey instrument retired",
            metadata: ["civic.agency": "\(key.agency)", "civic.service": "\(key.service)", "civic.channel": "\(key.channel.rawValue)"]
        )
        return Response(status: .noContent, headers: [HTTPRequestID.header: requestId])
    }
}
