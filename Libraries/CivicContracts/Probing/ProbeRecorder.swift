/// What one probed `init(from:)` asked for. Containers share it by reference while the initialiser runs.
final class ProbeRecorder {
    private enum Slot {
        case shape(ProbedShape)
        case nested(ProbeRecorder)
    }

    private var properties: [(name: String, required: Bool, slot: Slot)] = []
    private var usedKeyedContainer = false
    private var single: ProbedShape?
    private var element: ProbedShape?
    private var usedUnkeyedContainer = false
    /// The types being probed further up, to refuse recursion.
    var visiting: Set<ObjectIdentifier>
    /// The first problem met inside a container (reported after `init(from:)` returns).
    var failure: ContractError?

    init(visiting: Set<ObjectIdentifier>) { self.visiting = visiting }

    /// The unkeyed container reports its end once it has handed out one element.
    var hasElement: Bool { element != nil }

    func openedKeyedContainer() { usedKeyedContainer = true }
    func openedUnkeyedContainer() { usedUnkeyedContainer = true }

    func record(_ name: String, required: Bool, shape: ProbedShape) {
        record(name, required: required, slot: .shape(shape))
    }

    func recordNested(_ name: String) -> ProbeRecorder {
        let nested = ProbeRecorder(visiting: visiting)
        nested.openedKeyedContainer()
        record(name, required: true, slot: .nested(nested))
        return nested
    }

    func recordSingle(_ shape: ProbedShape) { single = single ?? shape }
    func recordElement(_ shape: ProbedShape) { element = element ?? shape }

    private func record(_ name: String, required: Bool, slot: Slot) {
        if let index = properties.firstIndex(where: { $0.name == name }) {
            properties[index].required = properties[index].required || required
        } else {
            properties.append((name, required, slot))
        }
    }

    /// The shape `type` showed.
    func shape(of type: ProbedType) throws -> ProbedShape {
        if usedKeyedContainer { return .object(type, properties: try resolvedProperties()) }
        if usedUnkeyedContainer {
            guard let element else {
                throw ContractError(.unsupportedDecoding, typeName: type.name, "opened an array but decoded no element")
            }
            return .array(element)
        }
        return single ?? .empty
    }

    private func resolvedProperties() throws -> [ProbedProperty] {
        try properties.map { property in
            switch property.slot {
            case .shape(let shape):
                return ProbedProperty(name: property.name, required: property.required, shape: shape)
            case .nested(let recorder):
                return ProbedProperty(
                    name: property.name,
                    required: property.required,
                    shape: .inlineObject(try recorder.resolvedProperties())
                )
            }
        }
    }

    /// Probes a value type met inside a container; a failure is kept and a neutral error returned.
    func probe<T: Decodable>(_ type: T.Type, path: [any CodingKey]) throws -> (shape: ProbedShape, sample: T) {
        do {
            return try SchemaProbe.probe(type, path: path, visiting: &visiting)
        } catch let error as ContractError {
            failure = failure ?? error
            throw error
        }
    }
}
