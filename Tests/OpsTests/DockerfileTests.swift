import CivicTestTraits
import CivicTesting
import Foundation
import Testing

/// ops/Dockerfile and .dockerignore, read as text (there is no Docker engine to build with here).
@Suite("ops/Dockerfile", .hangGuard)
struct DockerfileTests {
    /// Debian releases whose librdkafka1 is 2.1 or newer (bookworm ships 2.0.2, which the services refuse).
    static let releasesWithRecentLibrdkafka = ["trixie", "forky", "sid", "13", "14"]

    @Test("the product list matches Package.swift's executables")
    func productsMatchManifest() throws {
        let manifest = try OpsFiles.text(OpsFiles.packageManifest)
        let pattern = try Regex(#"\.executable\(\s*name:\s*"([^"]+)""#)
        let executables = Set(manifest.matches(of: pattern).compactMap { $0.output[1].substring.map(String.init) })
        #expect(executables == Set(AppService.products), "Package.swift's executable products changed: \(executables.sorted())")
    }

    @Test("the build stage uses a Swift 6 image with the C libraries and builds all five products in release")
    func buildStage() throws {
        let dockerfile = try Dockerfile.load()
        let build = try #require(dockerfile.stages.first, "no stages")
        #expect(build.baseImage.hasPrefix("swift:6"), "build image is \(build.baseImage)")
        let text = dockerfile.resolve(build.text)
        for package in ["librdkafka-dev", "libpq-dev"] {
            #expect(text.contains(package), "the build stage does not install \(package)")
        }
        #expect(text.contains("swift build -c release"), "no release build")
        #expect(text.contains("--static-swift-stdlib"), "the Swift runtime should be linked statically")
        #expect(text.contains("--product"))
        // Every product is built (by name, or through a build ARG that lists it) and staged.
        let buildArguments = build.all("ARG").reduce(into: [String: String]()) { result, argument in
            let pair = argument.split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { result[pair[0]] = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        var expanded = text
        for (name, value) in buildArguments {
            expanded = expanded.replacingOccurrences(of: "${\(name)}", with: value).replacingOccurrences(of: "$\(name)", with: value)
        }
        for product in AppService.products {
            #expect(expanded.contains(product), "the build stage does not build \(product)")
        }
        #expect(text.contains("civicpulse_CivicSentiment.resources"), "the sentiment resources bundle is not staged")
        #expect(text.contains("civicpulse_ReportingDashboard.resources"), "the dashboard templates bundle is not staged")
    }

    @Test("the runtime stage is Debian trixie-slim with librdkafka >= 2.1, libpq, CA certificates and the probe tool")
    func runtimeStage() throws {
        let dockerfile = try Dockerfile.load()
        let runtime = try #require(dockerfile.stage(named: "runtime"), "no stage named runtime")
        let image = runtime.baseImage
        #expect(image.hasPrefix("debian:"), "runtime image is \(image)")
        let tag = image.split(separator: ":").last.map(String.init) ?? ""
        #expect(Self.releasesWithRecentLibrdkafka.contains { tag == $0 || tag.hasPrefix("\($0)-") }, "\(image)'s librdkafka is older than 2.1")
        #expect(tag.hasSuffix("-slim"), "use the slim variant, not \(image)")
        let installs = runtime.all("RUN").joined(separator: "\n")
        for package in ["librdkafka1", "libpq5", "ca-certificates"] {
            #expect(installs.contains(package), "the runtime stage does not install \(package)")
        }
        #expect(!installs.contains("-dev"), "no development packages at run time")
        // compose.yaml probes /ready with a tool that must exist in the image.
        let document = try ComposeDocument.normalised()
        for service in AppService.all {
            let command = try #require(try ComposeService(service.name, in: document).healthcheckCommand)
            let tool = String(command[0].split(separator: " ")[0])
            if ["curl", "wget"].contains(tool) {
                #expect(installs.contains(tool), "\(service.name)'s health check runs \(tool), which the runtime image lacks")
            }
        }
    }

    @Test("FoundationNetworking, linked statically, gets libcurl at build and at run time")
    func foundationNetworkingHasCurl() throws {
        let sources = ["Libraries", "Services"].map { OpsFiles.root.appendingPathComponent($0).resolvingSymlinksInPath() }
        var users: [String] = []
        var scanned = 0
        for folder in sources {
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? []
            for file in files where file.pathExtension == "swift" {
                scanned += 1
                let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                if text.contains("import FoundationNetworking") { users.append(file.lastPathComponent) }
            }
        }
        try #require(scanned > 0, "no Swift sources found under Libraries/ and Services/")
        guard !users.isEmpty else { return }
        let dockerfile = try Dockerfile.load()
        let build = try #require(dockerfile.stages.first).all("RUN").joined(separator: "\n")
        let runtime = try #require(dockerfile.stage(named: "runtime")).all("RUN").joined(separator: "\n")
        #expect(
            build.contains("libcurl4-openssl-dev") || build.contains("libcurl4-gnutls-dev"),
            "\(users) import FoundationNetworking: the static link needs -lcurl"
        )
        #expect(runtime.contains("libcurl4"), "\(users) import FoundationNetworking: the runtime needs libcurl.so.4")
    }

    @Test("the runtime runs as a non-root user with the binaries and the resources bundle side by side")
    func runtimeContents() throws {
        let dockerfile = try Dockerfile.load()
        let runtime = try #require(dockerfile.stage(named: "runtime"))
        let user = try #require(runtime.all("USER").last, "the runtime stage sets no USER")
        let name = user.split(separator: ":").first.map(String.init) ?? user
        #expect(!["root", "0"].contains(name), "runs as \(user)")
        let copies = runtime.all("COPY").filter { $0.contains("--from=build") }
        #expect(!copies.isEmpty, "nothing copied from the build stage")
        // The build stage stages binaries and the bundle into one folder that lands in one place, so
        // Bundle.module finds civicpulse_CivicSentiment.resources next to the executables.
        let build = try #require(dockerfile.stages.first)
        let stagedBundle = build.all("RUN").contains { $0.contains("civicpulse_CivicSentiment.resources") && $0.contains("/staging") }
        #expect(stagedBundle, "the resources bundle must be staged with the binaries")
        #expect(copies.contains { $0.contains("/staging") }, "the staged folder is not copied into the runtime image")
    }

    @Test("one target per product, each running its binary; no HEALTHCHECK in the image")
    func targets() throws {
        let dockerfile = try Dockerfile.load()
        for product in AppService.products {
            let stage = try #require(dockerfile.stage(named: product), "no target \(product)")
            #expect(stage.baseImage == "runtime", "\(product) must derive from the runtime stage")
            let command = (stage.all("ENTRYPOINT") + stage.all("CMD")).joined(separator: " ")
            #expect(command.contains(product), "target \(product) does not run \(product)")
        }
        #expect(!dockerfile.instructions.contains { $0.keyword == "HEALTHCHECK" }, "health checks belong to compose.yaml")
    }

    @Test(".dockerignore keeps host artefacts out and every SwiftPM target folder in")
    func dockerignore() throws {
        let lines = try OpsFiles.text(OpsFiles.dockerignore).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
        for excluded in [".build", ".runtime", ".git"] {
            #expect(lines.contains(excluded), ".dockerignore does not exclude \(excluded)")
        }
        for needed in ["Package.swift", "Libraries", "Services", "Tests", "Benchmarks"] {
            #expect(!lines.contains(needed) && !lines.contains("\(needed)/**"), "the build needs \(needed) (Package.swift declares it)")
        }
    }
}
