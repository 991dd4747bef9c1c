import Hummingbird
import Logging

/// Answers every error of every route with the one error body (`APIErrorBody` (CivicModels)): an ``APIError`` as it
/// is; Hummingbird's own errors (an unknown route, a wrong method, ...) with their status; anything else
/// as 500 `internal_error`, logged, with no detail in the answer.
package struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    /// Logs unexpected errors to `logger`.
    package init(logger: Logger) { self.logger = logger }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as HTTPError {
            return APIError(error.status, code: Self.code(for: error.status), reason: error.body ?? error.status.reasonPhrase.lowercased())
                .response()
        } catch let error as any HTTPResponseError {
            return APIError(error.status, code: Self.code(for: error.status), reason: error.status.reasonPhrase.lowercased()).response()
        } catch {
            logger.error(
                "request failed",
                metadata: ["error": "\(error)", "http.method": "\(request.method)", "http.path": "\(request.uri.path)"]
            )
            return APIError(.internalServerError, code: .internalError, reason: "the request could not be answered; the error is logged")
                .response()
        }
    }

    private static func code(for status: HTTPResponse.Status) -> APIError.Code {
        switch status {
        case .notFound: .notFound
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "body_too_large"
        case .badRequest: "bad_request"
        default: APIError.Code(rawValue: "http_\(status.code)")
        }
    }
}
