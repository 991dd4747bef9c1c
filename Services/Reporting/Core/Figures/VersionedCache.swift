/// Values computed once per version of what they rest on, and shared by every reader of that version.
///
/// A reader brings the current stamp (read from the database, ``CellVersions``). A value stored at that
/// stamp (or a later one) is served as it is; a computation already running at that stamp (or a later one)
/// is joined; otherwise the reader computes it. At most one computation per key runs at a time: a reader
/// whose stamp is newer than the running one's waits for it to end and then computes at its own stamp
/// (joined by everyone who arrived meanwhile), so a stream of changes costs one computation after another,
/// never one per request. A value is never older than the stamp its reader saw: the computation starts
/// after that stamp was read.
///
/// Memory is bounded by `capacity` in cost units (bytes for response bodies); the least recently used
/// values go first, and a value dearer than the whole capacity is computed but not kept.
package actor VersionedCache<Key: Hashable & Sendable, Value: Sendable> {
    /// What a read did, for metrics.
    package enum Outcome: String, Sendable {
        /// Served a stored value.
        case hit
        /// Joined a computation at the same stamp.
        case joined
        /// Computed the value.
        case computed
    }

    private struct Entry {
        var stamp: CellVersionStamp
        var value: Value
        var cost: Int
        var lastUse: UInt64
    }

    private struct Flight {
        var id: UInt64
        var stamp: CellVersionStamp
        var task: Task<Value, any Error>
    }

    private let capacity: Int
    private let cost: @Sendable (Value) -> Int
    private var entries: [Key: Entry] = [:]
    private var flights: [Key: Flight] = [:]
    private var storedCost = 0
    private var clock: UInt64 = 0
    /// How many reads ended (or, for ``Outcome/joined``, began waiting) each way.
    package private(set) var reads: [Outcome: Int] = [:]

    /// A cache holding at most `capacity` cost units; `cost` prices one value.
    package init(capacity: Int, cost: @escaping @Sendable (Value) -> Int) {
        self.capacity = max(0, capacity)
        self.cost = cost
    }

    /// The value of `key` at `stamp`, computed by `compute` only when no reader has it or is computing it.
    /// `compute` runs in its own task, so a reader that goes away does not cancel it for the others.
    package func value(
        for key: Key,
        at stamp: CellVersionStamp,
        compute: @escaping @Sendable () async throws -> Value
    ) async throws -> (value: Value, outcome: Outcome) {
        while true {
            if var entry = entries[key], entry.stamp.isAtLeast(stamp) {
                clock &+= 1
                entry.lastUse = clock
                entries[key] = entry
                reads[.hit, default: 0] += 1
                return (entry.value, .hit)
            }
            guard let flight = flights[key] else { break }
            if flight.stamp.isAtLeast(stamp) {
                reads[.joined, default: 0] += 1
                return (try await flight.task.value, .joined)
            }
            // Another stamp's computation is running: let it finish (whatever its outcome), then look again.
            finish(flight, key: key, result: await flight.task.result)
        }
        clock &+= 1
        let flight = Flight(id: clock, stamp: stamp, task: Task { try await compute() })
        flights[key] = flight
        reads[.computed, default: 0] += 1
        let result = await flight.task.result
        finish(flight, key: key, result: result)
        return (try result.get(), .computed)
    }

    /// Ends `flight` once, whichever of its readers gets here first: stores its value and lets the next start.
    private func finish(_ flight: Flight, key: Key, result: Result<Value, any Error>) {
        guard flights[key]?.id == flight.id else { return }
        flights[key] = nil
        if case .success(let value) = result { store(value, for: key, at: flight.stamp) }
    }

    /// The number of values held and their total cost.
    package var usage: (values: Int, cost: Int) { (entries.count, storedCost) }

    private func store(_ value: Value, for key: Key, at stamp: CellVersionStamp) {
        if let old = entries.removeValue(forKey: key) { storedCost -= old.cost }
        let price = cost(value)
        guard price <= capacity else { return }
        while storedCost + price > capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            storedCost -= oldest.value.cost
            entries[oldest.key] = nil
        }
        clock &+= 1
        entries[key] = Entry(stamp: stamp, value: value, cost: price, lastUse: clock)
        storedCost += price
    }
}
