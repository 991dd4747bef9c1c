import Foundation
import Mustache

/// The dashboard's Mustache templates, loaded once from the ReportingDashboard resources bundle (`Templates/*.mustache`).
/// Mustache HTML-escapes every `{{value}}`; the templates use no triple braces.
package struct DashboardTemplates: Sendable {
    package let library: MustacheLibrary

    /// Loads and parses every template.
    /// - Throws: ``DashboardError`` naming the template that is missing or malformed.
    package init(bundle: Bundle = .module) throws(DashboardError) {
        guard let folder = bundle.resourceURL?.appendingPathComponent("Templates") else {
            throw DashboardError(field: "templates", reason: "the ReportingDashboard resources bundle has no Templates folder")
        }
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "mustache" }
        } catch {
            throw DashboardError(field: "templates", reason: "cannot list \(folder.path): \(error)")
        }
        var library = MustacheLibrary()
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            do {
                library.register(try MustacheTemplate(string: try String(contentsOf: file, encoding: .utf8)), named: name)
            } catch {
                throw DashboardError(field: "templates/\(name).mustache", reason: "\(error)")
            }
        }
        guard library.getTemplate(named: "dashboard") != nil else {
            throw DashboardError(field: "templates/dashboard.mustache", reason: "is missing from \(folder.path)")
        }
        self.library = library
    }

    /// The page as HTML.
    package func render(_ page: DashboardPage) -> String {
        library.render(page, withTemplate: "dashboard") ?? ""
    }
}
