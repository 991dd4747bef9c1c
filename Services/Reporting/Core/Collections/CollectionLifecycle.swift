/// Where a Touchpoints CX data collection stands in the HISP's quarterly cycle, as Touchpoints' CxCollection
/// tracks it.
package enum CollectionState: String, Codable, Sendable, CaseIterable {
    /// Being prepared by the agency (every collection starts here).
    case draft
    /// Submitted for review.
    case submitted
    /// Published (final).
    case published
    /// Returned by the reviewer for changes.
    case changeRequested = "change_requested"
    /// The agency will not report this collection for the quarter.
    case notReported = "not_reported"
}

/// What a user does to a collection.
package enum CollectionAction: String, Codable, Sendable, CaseIterable {
    /// Save the reflection and rating (the state stays).
    case edit
    /// Submit for review.
    case submit
    /// Publish a submitted collection.
    case publish
    /// Return a submitted collection for changes.
    case requestChange = "request_change"
    /// Mark the collection not reported.
    case markNotReported = "mark_not_reported"
    /// Take a not-reported collection back to draft.
    case reopen
}

/// The collection lifecycle as a value type: which action is legal in which state, what it leads to, and
/// which role it needs. Draft → submitted → published, with change requested and not reported beside them;
/// published is final.
package enum CollectionLifecycle {
    /// An action the state does not allow.
    package struct IllegalTransition: Error, Equatable, CustomStringConvertible {
        /// The state the collection is in.
        var state: CollectionState
        /// The action refused.
        var action: CollectionAction

        package var description: String { "a collection that is \(state.rawValue) cannot \(action.rawValue)" }
    }

    /// The state `action` leads to from `state`.
    /// - Throws: ``IllegalTransition`` when `state` does not allow `action`.
    static func next(from state: CollectionState, by action: CollectionAction) throws(IllegalTransition) -> CollectionState {
        switch (state, action) {
        case (.draft, .edit), (.changeRequested, .edit): return state
        case (.draft, .submit), (.changeRequested, .submit): return .submitted
        case (.submitted, .publish): return .published
        case (.submitted, .requestChange): return .changeRequested
        case (.draft, .markNotReported), (.changeRequested, .markNotReported): return .notReported
        case (.notReported, .reopen): return .draft
        default: throw IllegalTransition(state: state, action: action)
        }
    }

    /// The role an action needs in the collection's agency: the analyst prepares and submits; the agency's
    /// admin (the reviewer) publishes, returns, marks not reported and reopens.
    package static func role(for action: CollectionAction) -> AccessRole {
        switch action {
        case .edit, .submit: .analyst
        case .publish, .requestChange, .markNotReported, .reopen: .admin
        }
    }
}

/// The Touchpoints-style rating an agency gives a collection with its reflection: whether the service met
/// its customers' expectations this quarter.
package enum CollectionRating: String, Codable, Sendable, CaseIterable {
    case met = "TRUE"
    case notMet = "FALSE"
    case partiallyMet = "PARTIAL"
}
