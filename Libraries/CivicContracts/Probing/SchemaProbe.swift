import CivicModels
import Foundation

/// Derives a type's JSON shape by running its real `init(from:)` against a recording decoder: the keys it
/// asks for (`decode` = required, `decodeIfPresent` = optional), their Swift types, nested containers and
/// array elements. Every value it hands back is a neutral sample (`""`, `0`, the first enum case), so the
/// initialiser completes and nothing is declared twice.
enum SchemaProbe {
    /// The shape of `type`, and a sample value to return to an enclosing decoder.
    static func probe<T: Decodable>(_ type: T.Type, path: [any CodingKey] = []) throws -> (shape: ProbedShape, sample: T) {
        var visiting: Set<ObjectIdentifier> = []
        return try probe(type, path: path, visiting: &visiting)
    }

    static func probe<T: Decodable>(
        _ type: T.Type,
        path: [any CodingKey],
        visiting: inout Set<ObjectIdentifier>
    ) throws -> (shape: ProbedShape, sample: T) {
        if let scalar = scalar(type) { return scalar }
        let probedType = ProbedType(type)
        if let provider = type as? any SchemaProviding.Type {
            guard let sample = provider.schemaSample as? T else {
                throw ContractError(.probeFailed, typeName: probedType.name, "schemaSample has the wrong type")
            }
            return (.custom(probedType, provider: provider), sample)
        }
        if let vocabulary = type as? any FeedbackVocabulary.Type {
            let (values, first) = vocabularyCases(vocabulary)
            guard let sample = first as? T else {
                throw ContractError(.probeFailed, typeName: probedType.name, "has no cases")
            }
            return (.enumeration(probedType, values: values), sample)
        }
        if let enumerable = type as? any SchemaEnumerable.Type {
            guard let sample = enumerable.schemaSample as? T else {
                throw ContractError(.probeFailed, typeName: probedType.name, "has no cases")
            }
            return (.enumeration(probedType, values: enumerable.schemaValues), sample)
        }
        if let dictionary = type as? any StringKeyedDictionary.Type {
            let value = try dictionary.probeValue(path: path, visiting: &visiting)
            guard let sample = dictionary.emptySample as? T else {
                throw ContractError(.probeFailed, typeName: probedType.name, "cannot create an empty dictionary")
            }
            return (.dictionary(value), sample)
        }
        if let optional = type as? any OptionalValue.Type {
            let wrapped = try optional.probeWrapped(path: path, visiting: &visiting)
            guard let sample = optional.noneSample as? T else {
                throw ContractError(.probeFailed, typeName: probedType.name, "cannot create nil")
            }
            return (.nullable(wrapped), sample)
        }
        let identifier = ObjectIdentifier(type)
        guard visiting.insert(identifier).inserted else {
            throw ContractError(.recursiveType, typeName: probedType.name, "contains itself; conform it to SchemaProviding")
        }
        defer { visiting.remove(identifier) }
        let recorder = ProbeRecorder(visiting: visiting)
        let sample: T
        do {
            sample = try T(from: ProbeDecoder(recorder: recorder, codingPath: path))
        } catch let error as ContractError {
            throw error
        } catch {
            let at = path.map(\.stringValue).joined(separator: ".")
            throw ContractError(
                .probeFailed,
                typeName: probedType.name,
                "init(from:) threw while probed\(at.isEmpty ? "" : " at \(at)"); conform it to SchemaProviding",
                underlying: error
            )
        }
        if let failure = recorder.failure { throw failure }
        return (try recorder.shape(of: probedType), sample)
    }

    private static func scalar<T>(_ type: T.Type) -> (shape: ProbedShape, sample: T)? {
        let candidates: [(any Any.Type, ProbedShape, Any)] = [
            (String.self, .string, ""), (Bool.self, .boolean, false), (Date.self, .dateTime, Date(timeIntervalSince1970: 0)),
            (Int.self, .integer, 0), (Int8.self, .integer, Int8(0)), (Int16.self, .integer, Int16(0)),
            (Int32.self, .integer, Int32(0)), (Int64.self, .integer, Int64(0)), (UInt.self, .integer, UInt(0)),
            (UInt8.self, .integer, UInt8(0)), (UInt16.self, .integer, UInt16(0)), (UInt32.self, .integer, UInt32(0)),
            (UInt64.self, .integer, UInt64(0)), (Double.self, .number, 0.0), (Float.self, .number, Float(0)),
        ]
        for (candidate, shape, sample) in candidates where candidate == type {
            if let sample = sample as? T { return (shape, sample) }
        }
        return nil
    }

    private static func vocabularyCases<V: FeedbackVocabulary>(_ type: V.Type) -> ([String], Any?) {
        (type.allCases.map(\.rawValue), type.allCases.first)
    }
}

/// `[String: Value]`, whose `init(from:)` only asks for the keys that are present (none, when probed).
protocol StringKeyedDictionary {
    static func probeValue(path: [any CodingKey], visiting: inout Set<ObjectIdentifier>) throws -> ProbedShape
    static var emptySample: Self { get }
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Decodable {
    static func probeValue(path: [any CodingKey], visiting: inout Set<ObjectIdentifier>) throws -> ProbedShape {
        try SchemaProbe.probe(Value.self, path: path, visiting: &visiting).shape
    }
    static var emptySample: Self { [:] }
}

/// `Optional<Wrapped>` asked for with `decode(_:)`.
protocol OptionalValue {
    static func probeWrapped(path: [any CodingKey], visiting: inout Set<ObjectIdentifier>) throws -> ProbedShape
    static var noneSample: Self { get }
}

extension Optional: OptionalValue where Wrapped: Decodable {
    static func probeWrapped(path: [any CodingKey], visiting: inout Set<ObjectIdentifier>) throws -> ProbedShape {
        try SchemaProbe.probe(Wrapped.self, path: path, visiting: &visiting).shape
    }
    static var noneSample: Self { .none }
}
