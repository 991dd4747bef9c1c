import ArgumentParser

/// civicctl: the operators' command line for CivicPulse.
@main
struct CivicCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civicctl",
        abstract: "Operate a CivicPulse deployment: publish to and read from its topics, score comments.",
        subcommands: [Publish.self, Tail.self, Score.self, Agency.self, Instrument.self, FormKey.self, Access.self, Rejected.self]
    )
}
