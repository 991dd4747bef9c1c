import Foundation

/// The configured order of journey stages per service, read from the JSON file named by
/// `CIVIC_REPORTING_JOURNEY_STAGES_FILE`: `{"AGENCY/service": ["stage1", "stage2", ...]}`.
///
/// A journey is complete when it reached the last stage of its service's order. A service without a
/// configured order falls back to the order of first appearance: stages sorted by the earliest
/// `occurredAt` at which any journey of the report reached them (ties by name).
package struct JourneyStageOrder: Sendable, Equatable {
    /// The configured orders, keyed `AGENCY/service`.
    var orders: [String: [String]]

    /// An empty configuration: every service uses the order of first appearance.
    package init(orders: [String: [String]] = [:]) {
        self.orders = orders
    }

    /// Reads and checks the file.
    /// - Throws: ``JourneyStageOrderError`` naming the file and what is wrong with it.
    package init(contentsOf url: URL) throws(JourneyStageOrderError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw JourneyStageOrderError(reason: "\(url.path): cannot be read (\(error.localizedDescription))")
        }
        let decoded: [String: [String]]
        do {
            decoded = try JSONDecoder().decode([String: [String]].self, from: data)
        } catch {
            throw JourneyStageOrderError(reason: "\(url.path): must be a JSON object of \"AGENCY/service\": [\"stage\", ...]")
        }
        for (key, stages) in decoded {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw JourneyStageOrderError(reason: "\(url.path): key \"\(key)\" is not \"AGENCY/service\"")
            }
            guard !stages.isEmpty, Set(stages).count == stages.count, !stages.contains("") else {
                throw JourneyStageOrderError(reason: "\(url.path): \(key) must list distinct, non-empty stages")
            }
        }
        orders = decoded
    }

    /// The configured order of a service, if there is one.
    func stages(agency: String, service: String) -> [String]? {
        orders["\(agency)/\(service)"]
    }
}

/// The journey stages file is unusable; reporting refuses to start.
package struct JourneyStageOrderError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, naming the file.
    var reason: String

    package var description: String { "CIVIC_REPORTING_JOURNEY_STAGES_FILE: \(reason)" }
}
