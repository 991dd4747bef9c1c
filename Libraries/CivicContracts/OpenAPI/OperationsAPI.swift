/// The operations endpoints every service serves (`OperationsServer`): `/health`, `/ready`, `/metrics`.
package enum OperationsAPI {
    /// The three operations, for a service's OpenAPI document.
    package static var operations: [APIOperation] {
        [
            APIOperation(.get, "/health", id: "health", summary: "The process is up.", tags: ["operations"])
                .response(200, "Status and service name.", .type([String: String].self)),
            APIOperation(.get, "/ready", id: "ready", summary: "The service's dependencies work.", tags: ["operations"])
                .response(200, "Ready, with each component's state.", .anyObject)
                .response(503, "Not ready, with the reason per component.", .anyObject),
            APIOperation(.get, "/metrics", id: "metrics", summary: "Prometheus metrics.", tags: ["operations"])
                .response(200, "Prometheus text format 0.0.4.", .text, mediaType: "text/plain"),
        ]
    }
}
