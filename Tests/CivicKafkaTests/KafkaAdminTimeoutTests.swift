import Testing

@testable import CivicKafka

/// The timeouts the admin client hands librdkafka: fractions kept, never 0, never past `Int32`.
@Suite
struct KafkaAdminTimeoutTests {
    @Test func fractionsOfASecondAreKeptAndTheBoundsHold() {
        #expect(KafkaAdmin.milliseconds(.milliseconds(1_500)) == 1_500)
        #expect(KafkaAdmin.milliseconds(.milliseconds(250)) == 250)
        #expect(KafkaAdmin.milliseconds(.zero) == 1)
        #expect(KafkaAdmin.milliseconds(.seconds(-5)) == 1)
        #expect(KafkaAdmin.milliseconds(.seconds(Int64.max / 2)) == Int32.max)
    }
}
