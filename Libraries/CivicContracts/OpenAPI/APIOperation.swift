/// One HTTP operation of a service, registered in the service's `+OpenAPI.swift` file with the Swift types
/// of its parameters and bodies. ``OpenAPIDocument`` turns a list of them into an OpenAPI 3.1 document.
///
/// To add an operation, append one to the service's list, for example:
/// ```swift
/// APIOperation(.get, "/v1/reports", id: "listReports", summary: "Quarterly report rows.")
///     .query("agency", .type(String.self), "Agency code.")
///     .response(200, "The rows.", .type(ReportsBody.self))
///     .response(400, "A parameter is invalid.", .type([String: String].self))
/// ```
package struct APIOperation: Sendable {
    /// The HTTP method.
    package enum Method: String, Sendable {
        case get, put, post, patch, delete
    }

    /// Where a parameter goes.
    package enum Location: String, Sendable {
        case path, query, header
    }

    /// A parameter.
    package struct Parameter: Sendable {
        package var name: String
        package var location: Location
        package var description: String
        package var required: Bool
        package var schema: APISchema
    }

    /// A request or response body.
    package struct Body: Sendable {
        package var description: String
        package var mediaType: String
        package var schema: APISchema
    }

    /// A response.
    package struct Reply: Sendable {
        package var status: Int
        package var description: String
        package var body: Body?
    }

    package var method: Method
    /// The path template, for example `/v1/admin/agencies/{code}`.
    package var path: String
    /// A unique operation id.
    package var id: String
    package var summary: String
    package var tags: [String]
    package var parameters: [Parameter] = []
    package var requestBody: Body?
    package var replies: [Reply] = []
    /// The security scheme that protects it (a key of the document's schemes), if any.
    package var security: String?

    /// An operation with no parameters, body or responses yet.
    package init(_ method: Method, _ path: String, id: String, summary: String, tags: [String] = []) {
        self.method = method
        self.path = path
        self.id = id
        self.summary = summary
        self.tags = tags
    }

    /// Adds a path parameter (always required).
    package func path(_ name: String, _ schema: APISchema, _ description: String) -> APIOperation {
        with { $0.parameters.append(Parameter(name: name, location: .path, description: description, required: true, schema: schema)) }
    }

    /// Adds a query parameter.
    package func query(_ name: String, _ schema: APISchema, _ description: String, required: Bool = false) -> APIOperation {
        with {
            $0.parameters.append(Parameter(name: name, location: .query, description: description, required: required, schema: schema))
        }
    }

    /// Adds an optional request header.
    package func header(_ name: String, _ schema: APISchema, _ description: String) -> APIOperation {
        with { $0.parameters.append(Parameter(name: name, location: .header, description: description, required: false, schema: schema)) }
    }

    /// Sets the request body.
    package func body(_ description: String, _ schema: APISchema, mediaType: String = "application/json") -> APIOperation {
        with { $0.requestBody = Body(description: description, mediaType: mediaType, schema: schema) }
    }

    /// Adds a response; `schema` `nil` means no body.
    package func response(
        _ status: Int,
        _ description: String,
        _ schema: APISchema? = nil,
        mediaType: String = "application/json"
    ) -> APIOperation {
        with {
            $0.replies.append(
                Reply(status: status, description: description, body: schema.map { Body(description: description, mediaType: mediaType, schema: $0) })
            )
        }
    }

    /// Requires the named security scheme.
    package func secured(by scheme: String) -> APIOperation {
        with { $0.security = scheme }
    }

    private func with(_ change: (inout APIOperation) -> Void) -> APIOperation {
        var copy = self
        change(&copy)
        return copy
    }
}
