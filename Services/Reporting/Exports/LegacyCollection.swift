/// One collection of legacy A-11 v1 responses, as counts of each answer to each of the seven questions.
package struct LegacyCollection: Sendable, Equatable {
    /// The A-11 v1 questions in order (q1 ... q7).
    static let questions = ["satisfaction", "trust", "effectiveness", "ease", "efficiency", "transparency", "employee"]
    /// `agency,service,channel,fiscal_year,quarter,suppressed,responses,q1_1,...,q7_5`.
    package static let csvHeader =
        ["agency", "service", "channel", "fiscal_year", "quarter", "suppressed", "responses"]
        + (1...7).flatMap { question in (1...5).map { "q\(question)_\($0)" } }

    var agency: String
    var service: String
    var channel: String
    var fiscalYear: Int
    var quarter: Int
    /// v1 responses (spam excluded).
    var responses: Int
    /// 35 counts: question-major, answer 1-5 within each question.
    var counts: [Int]
    var suppressed: Bool

    /// The CSV cells: every count, whatever the size (`suppressed` says whether the collection is under the
    /// minimum cell size). Names are text (neutralised if they would start a formula), figures integers.
    package var csvFields: [CSVCell] {
        [.text(agency), .text(service), .text(channel), .integer(fiscalYear), .integer(quarter), .word(suppressed ? "true" : "false")]
            + [.integer(responses)] + counts.map(CSVCell.integer)
    }
}
