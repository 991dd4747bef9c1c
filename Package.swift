// swift-tools-version:6.2
import PackageDescription

// CivicPulse: four services that talk only over Kafka topics and persist into PostgreSQL,
// plus the operators' command line. See README.md and docs/design.md.

let package = Package(
    name: "civicpulse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "survey-intake", targets: ["SurveyIntakeCommand"]),
        .executable(name: "identity-verify", targets: ["IdentityVerifyCommand"]),
        .executable(name: "sentiment-scorer", targets: ["SentimentScorerCommand"]),
        .executable(name: "reporting", targets: ["ReportingCommand"]),
        .executable(name: "civicctl", targets: ["CivicCtl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // Traces (issue 33): the tracing API and its OpenTelemetry backend, OTLP/HTTP only (no gRPC stack).
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.0"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
        // Documentation only (`swift package generate-documentation`, docs/architecture.md): builds nothing else.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        // MARK: - C system libraries: one thin shim each, imported by exactly one Swift module.
        .systemLibrary(
            name: "Crdkafka",
            path: "Libraries/Crdkafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"]), .brew(["librdkafka"])]
        ),
        .systemLibrary(
            name: "Clibpq",
            path: "Libraries/Clibpq",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),

        // MARK: - Libraries
        .target(name: "CivicTime", path: "Libraries/CivicTime"),
        // The one HTTP client for outbound calls (sign-in, JWKS, civicctl, tests): timeouts and bounded bodies.
        .target(name: "CivicHTTP", dependencies: ["CivicTime"], path: "Libraries/CivicHTTP"),
        // Byte helpers every layer shares: the one hex encoder and the one constant-time comparison.
        .target(name: "CivicBytes", path: "Libraries/CivicBytes"),
        // The JSON toolkit: the one reader (JSONScanner) and the one writer (JSONWriter, JSONValue).
        .target(name: "CivicJSON", path: "Libraries/CivicJSON"),
        .target(name: "CivicModels", dependencies: ["CivicBytes", "CivicJSON", "CivicTime"], path: "Libraries/CivicModels"),
        .target(
            name: "CivicKafka",
            dependencies: [
                "CivicTime",
                "Crdkafka",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Libraries/CivicKafka"
        ),
        .target(
            name: "CivicPostgres",
            dependencies: [
                "Clibpq",
                "CivicTime",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Libraries/CivicPostgres"
        ),
        .target(
            name: "CivicRuntime",
            dependencies: [
                "CivicBytes",
                "CivicHTTP",
                "CivicJSON",
                "CivicKafka",
                "CivicModels",
                "CivicPostgres",
                "CivicTime",
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
            ],
            path: "Libraries/CivicRuntime"
        ),
        .target(
            name: "CivicSentiment",
            path: "Libraries/CivicSentiment",
            exclude: ["README.md"],
            resources: [.copy("Resources")]
        ),
        // Themes of comments and key drivers of trust: pure computation, no I/O (docs/services/reporting.md).
        .target(name: "CivicInsights", path: "Libraries/CivicInsights"),
        .target(
            name: "CivicIdentity",
            dependencies: [
                "CivicBytes",
                "CivicHTTP",
                "CivicTime",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Libraries/CivicIdentity"
        ),
        .target(
            name: "CivicContracts",
            dependencies: [
                "CivicJSON",
                "CivicModels",
                "CivicRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Libraries/CivicContracts"
        ),
        .target(
            name: "CivicTesting",
            dependencies: [
                "CivicHTTP",
                "CivicKafka",
                "CivicModels",
                "CivicPostgres",
                "CivicRuntime",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Libraries/CivicTesting"
        ),
        // Swift Testing traits every test target shares: the hang guard and the bounded group of suites that
        // start processes. Apart from CivicTesting, which the benchmarks link and which must not link Testing.
        .target(name: "CivicTestTraits", path: "Libraries/CivicTestTraits"),

        // MARK: - Services: Services/<Name>/App is the service, Services/<Name>/Command its @main.
        .target(
            name: "SurveyIntake",
            dependencies: [
                "CivicBytes", "CivicJSON", "CivicModels", "CivicKafka", "CivicPostgres", "CivicRuntime", "CivicIdentity", "CivicTime",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "CivicContracts",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                // gzip for the form's pages and scripts (zlib's deflate).
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Services/SurveyIntake/App",
            resources: [.copy("Forms/Assets")]
        ),
        .executableTarget(
            name: "SurveyIntakeCommand",
            dependencies: [
                "SurveyIntake", "CivicRuntime", .product(name: "Configuration", package: "swift-configuration"),
            ],
            path: "Services/SurveyIntake/Command"
        ),
        .target(
            name: "IdentityVerify",
            dependencies: [
                "CivicModels", "CivicKafka", "CivicPostgres", "CivicRuntime", "CivicIdentity", "CivicTime",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/IdentityVerify/App"
        ),
        .executableTarget(
            name: "IdentityVerifyCommand",
            dependencies: ["IdentityVerify", "CivicRuntime", .product(name: "Configuration", package: "swift-configuration")],
            path: "Services/IdentityVerify/Command"
        ),
        .target(
            name: "SentimentScorer",
            dependencies: [
                "CivicJSON", "CivicModels", "CivicKafka", "CivicPostgres", "CivicRuntime", "CivicSentiment",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/SentimentScorer/App"
        ),
        .executableTarget(
            name: "SentimentScorerCommand",
            dependencies: ["SentimentScorer", "CivicRuntime", .product(name: "Configuration", package: "swift-configuration")],
            path: "Services/SentimentScorer/Command"
        ),
        // reporting in layers, each importing only those before it: the store and its figures, the HTML views,
        // the export files, the HTTP API with access, then the assembly that Command, tests and benchmarks use.
        .target(
            name: "ReportingCore",
            dependencies: [
                "CivicInsights", "CivicModels", "CivicKafka", "CivicPostgres", "CivicRuntime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Reporting/Core"
        ),
        .target(
            name: "ReportingDashboard",
            dependencies: [
                "CivicInsights", "ReportingCore", "CivicRuntime",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            path: "Services/Reporting/Dashboard",
            resources: [.copy("Templates")]
        ),
        .target(
            name: "ReportingExports",
            dependencies: [
                "CivicInsights", "ReportingCore", "ReportingDashboard", "CivicModels", "CivicPostgres",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            path: "Services/Reporting/Exports"
        ),
        .target(
            name: "ReportingWeb",
            dependencies: [
                "CivicInsights", "CivicJSON",
                "ReportingCore", "ReportingDashboard", "ReportingExports",
                "CivicContracts", "CivicIdentity", "CivicModels", "CivicPostgres", "CivicRuntime",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Services/Reporting/Web"
        ),
        .target(
            name: "Reporting",
            dependencies: [
                "CivicInsights", "ReportingCore", "ReportingExports", "ReportingWeb",
                "CivicContracts", "CivicKafka", "CivicModels", "CivicPostgres", "CivicRuntime",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/Reporting/App"
        ),
        .executableTarget(
            name: "ReportingCommand",
            dependencies: [
                "Reporting", "ReportingExports", "CivicRuntime", .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/Reporting/Command"
        ),
        .executableTarget(
            name: "CivicCtl",
            dependencies: [
                "CivicHTTP", "CivicJSON", "CivicModels", "CivicKafka", "CivicSentiment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/CivicCtl"
        ),
        .executableTarget(
            name: "ContractsGen",
            dependencies: [
                "CivicContracts", "SurveyIntake", "ReportingWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Services/ContractsGen"
        ),

        // MARK: - Benchmarks (executables that print figures; see BENCHMARKS.md)
        .executableTarget(name: "SentimentBench", dependencies: ["CivicSentiment", "CivicTime"], path: "Benchmarks/SentimentBench"),
        .executableTarget(name: "InsightsBench", dependencies: ["CivicInsights", "CivicTesting"], path: "Benchmarks/InsightsBench"),
        .executableTarget(
            name: "InsightsRouteBench",
            dependencies: [
                "Reporting", "ReportingCore", "CivicModels", "CivicKafka", "CivicPostgres", "CivicRuntime", "CivicTesting", "CivicTime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/InsightsRouteBench"
        ),
        .executableTarget(
            name: "ReportingBench",
            dependencies: [
                "Reporting", "ReportingCore", "CivicModels", "CivicKafka", "CivicPostgres", "CivicRuntime", "CivicTesting", "CivicTime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/ReportingBench"
        ),
        .executableTarget(
            name: "IdentityBench",
            dependencies: [
                "CivicIdentity", "CivicTime",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/IdentityBench"
        ),

        .executableTarget(
            name: "ExportBench",
            dependencies: [
                "CivicPostgres", "CivicTesting", "ReportingCommand", "ReportingCore", "ReportingExports",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ExportBench"
        ),

        .executableTarget(
            name: "IntakeBench",
            dependencies: [
                "SurveyIntake", "CivicRuntime", "CivicTesting", "CivicKafka", "CivicModels", "CivicPostgres", "CivicTime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/IntakeBench"
        ),
        .executableTarget(
            name: "PipelineBench",
            dependencies: [
                "CivicTesting", "CivicKafka", "CivicModels", "CivicPostgres", "CivicRuntime", "CivicTime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/PipelineBench"
        ),

        // MARK: - Tests (one target per module; EndToEndTests drives the built executables)
        .testTarget(name: "CivicBytesTests", dependencies: ["CivicBytes", "CivicTestTraits"]),
        .testTarget(name: "CivicJSONTests", dependencies: ["CivicJSON", "CivicTestTraits"]),
        .testTarget(name: "CivicInsightsTests", dependencies: ["CivicInsights", "CivicTesting", "CivicTestTraits"]),
        .testTarget(name: "CivicModelsTests", dependencies: ["CivicModels", "CivicTesting", "CivicTestTraits"]),
        .testTarget(name: "CivicKafkaTests", dependencies: ["CivicKafka", "CivicTesting", "CivicTestTraits"]),
        .testTarget(name: "CivicPostgresTests", dependencies: ["CivicPostgres", "CivicTesting", "CivicTestTraits"]),
        .testTarget(
            name: "CivicSentimentTests",
            dependencies: ["CivicSentiment", "CivicTesting", "CivicTestTraits"],
            exclude: ["oracle_vader.py", "make_corpus.py", "curate_empath_subset.py"],
            resources: [.copy("Data")]
        ),
        .testTarget(
            name: "CivicIdentityTests",
            dependencies: [
                "CivicIdentity", "CivicTesting", "CivicTestTraits",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CivicRuntimeTests",
            dependencies: [
                "CivicRuntime", "CivicKafka", "CivicModels", "CivicPostgres", "CivicTesting", "CivicTestTraits",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "SurveyIntakeTests",
            dependencies: [
                "SurveyIntake", "CivicBytes", "CivicKafka", "CivicModels", "CivicPostgres", "CivicRuntime", "CivicTesting",
                "CivicTestTraits",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "IdentityVerifyTests",
            dependencies: [
                "IdentityVerify", "CivicIdentity", "CivicKafka", "CivicModels", "CivicPostgres", "CivicTesting", "CivicTestTraits",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SentimentScorerTests",
            dependencies: [
                "SentimentScorer", "CivicKafka", "CivicModels", "CivicPostgres", "CivicSentiment", "CivicTesting", "CivicTestTraits",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ReportingTests",
            dependencies: [
                "CivicInsights", "CivicJSON",
                "Reporting", "ReportingCore", "ReportingDashboard", "ReportingExports", "ReportingWeb",
                "CivicContracts", "CivicKafka", "CivicModels", "CivicPostgres", "CivicRuntime", "CivicTesting", "CivicTestTraits",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "OpsTests",
            dependencies: [
                "CivicModels", "CivicRuntime", "CivicTesting", "CivicTestTraits",
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        .testTarget(
            name: "CivicContractsTests",
            dependencies: [
                "CivicContracts", "CivicJSON", "CivicModels", "CivicTesting", "CivicTestTraits", "SurveyIntake", "ReportingWeb",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "CivicModels", "CivicKafka", "CivicPostgres", "CivicRuntime", "CivicTesting", "CivicTestTraits",
                // The executables are built before the test bundle runs, so the test can start them.
                "SurveyIntakeCommand", "IdentityVerifyCommand", "SentimentScorerCommand", "ReportingCommand",
                "CivicCtl",
            ],
            exclude: ["form_browser.py"]
        ),
    ]
)

// Shared language settings, applied once (swift-log / swift-kafka-client style).
// CI (`CI` set, as on every CI run) builds the project's own targets with warnings as errors, so they stay at
// zero; dependencies are never affected. Set CIVIC_WARNINGS_AS_ERRORS=1 to do the same locally.
let warningsAsErrors = Context.environment["CI"] != nil || Context.environment["CIVIC_WARNINGS_AS_ERRORS"] != nil
for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    if warningsAsErrors { settings.append(.treatAllWarnings(as: .error)) }
    target.swiftSettings = settings
}
