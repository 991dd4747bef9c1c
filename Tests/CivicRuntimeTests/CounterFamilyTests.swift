import CivicRuntime
import CivicTestTraits
import Metrics
import Prometheus
import Testing

/// A ``CounterFamily`` hands out one counter per set of dimensions and every increment reaches the backend.
@Suite(.hangGuard) struct CounterFamilyTests {
    @Test func eachDimensionSetIsCountedOnItsOwn() {
        let registry = PrometheusCollectorRegistry()
        let family = CounterFamily(label: "civic_test_requests_total", factory: PrometheusMetricsFactory(registry: registry))
        family.counter([("status", "202")]).increment()
        family.counter([("status", "202")]).increment(by: 2)
        family.counter([("status", "400")]).increment()
        family.counter([("verdict", "refused"), ("code", "expired")]).increment()
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let lines = Set(String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init))
        #expect(lines.contains(#"civic_test_requests_total{status="202"} 3"#), "\(lines.sorted())")
        #expect(lines.contains(#"civic_test_requests_total{status="400"} 1"#), "\(lines.sorted())")
        #expect(lines.contains(#"civic_test_requests_total{verdict="refused",code="expired"} 1"#), "\(lines.sorted())")
    }
}
