import CivicModels
import Foundation

/// The language a form is shown in: one of the instrument's languages whose primary subtag has strings
/// (``FormStrings``), chosen by `?lang=`, else by `Accept-Language`, else the instrument's first.
struct FormLanguage: Sendable, Equatable {
    /// The tag as the instrument lists it (`es-US`): the response's `locale`.
    var tag: String
    /// The strings, by primary subtag.
    var strings: FormStrings

    static func == (lhs: FormLanguage, rhs: FormLanguage) -> Bool { lhs.tag == rhs.tag }

    /// The instrument's languages the form can be shown in, in the instrument's order (English when none is).
    static func offered(by instrument: InstrumentDefinition) -> [FormLanguage] {
        let offered = instrument.languages.compactMap { tag -> FormLanguage? in
            let primary = tag.split(separator: "-").first.map { $0.lowercased() } ?? ""
            return primary == "en" || primary == "es" ? FormLanguage(tag: tag, strings: .of(primary)) : nil
        }
        return offered.isEmpty ? [FormLanguage(tag: instrument.languages.first ?? "en", strings: .english)] : offered
    }

    /// The language for a request with `?lang=` `requested` and `Accept-Language` `accept`.
    static func choose(for instrument: InstrumentDefinition, requested: String?, accept: String?) -> FormLanguage {
        let offered = offered(by: instrument)
        func match(_ wanted: String) -> FormLanguage? {
            let wanted = wanted.lowercased()
            return offered.first { $0.tag.lowercased() == wanted }
                ?? offered.first { $0.strings.code == wanted.split(separator: "-").first.map(String.init) }
        }
        if let requested, let language = match(requested) { return language }
        // Accept-Language: `es-MX,es;q=0.9,en;q=0.8`, by descending quality.
        let ranked = (accept ?? "").split(separator: ",").compactMap { entry -> (String, Double)? in
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first, !tag.isEmpty, tag != "*" else { return nil }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (tag, quality)
        }
        for (tag, quality) in ranked.sorted(by: { $0.1 > $1.1 }) where quality > 0 {
            if let language = match(tag) { return language }
        }
        return offered[0]
    }
}

/// One error shown with the form: the field it belongs to (`nil` for the whole form) and its text.
struct FormError: Sendable, Equatable {
    var field: String?
    var message: String
}

/// The hosted form as HTML: a plain form that works without JavaScript (display logic by CSS `:has()` where the
/// browser has it), WCAG 2.1 AA: fieldsets with legends, labels, hints and errors tied by `aria-describedby`,
/// an error summary that takes focus, visible focus, reduced motion, reflow to 320 CSS pixels.
struct FormPage: Sendable {
    /// What the page shows.
    enum State: Sendable, Equatable {
        case empty
        case errors([FormError])
        case thanks
    }

    var form: FormKeyStore.Form
    /// The form key as presented (the page's address names it).
    var formKey: String
    var instrument: InstrumentDefinition
    var language: FormLanguage
    var token: String
    var eventId: String
    var values: FormFields
    var state: State
    /// The minimum fill time, which the script waits before sending a kept response with a fresh token.
    var minimumFillSeconds: Int

    private var strings: FormStrings { language.strings }
    private var prefix: String { "cp-" + form.keyId.prefix(8) }
    private var action: String { "/forms/\(formKey)?lang=\(language.tag)" }

    /// The whole hosted page (`GET /forms/{key}`), with the embed script as progressive enhancement.
    func document() -> String {
        let title = state == .thanks ? strings.thanksTitle : strings.pageTitle
        let errorPrefix: String = if case .errors = state { "Error: " } else { "" }
        return """
            <!doctype html>
            <html lang="\(htmlEscape(language.tag))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(htmlEscape(errorPrefix + title))</title>
            </head>
            <body class="cp-page">
            <main>
            \(fragment(headingLevel: 1))
            </main>
            <script src="/forms/embed.js" defer></script>
            </body>
            </html>

            """
    }

    /// The form alone, as the embed inserts it into an agency's page, headed at `headingLevel`.
    func fragment(headingLevel: Int) -> String {
        let h = "h\(headingLevel)"
        let h2 = "h\(min(headingLevel + 1, 6))"
        var html = "<div class=\"cp-form\" id=\"\(prefix)\" lang=\"\(htmlEscape(language.tag))\" data-cp-key=\"\(htmlEscape(formKey))\""
        html += " data-cp-lang=\"\(htmlEscape(language.tag))\" data-cp-sending=\"\(htmlEscape(strings.sending))\""
        html += " data-cp-offline=\"\(htmlEscape(strings.offlineSaved))\" data-cp-error-title=\"\(htmlEscape(strings.errorSummaryTitle))\""
        html += " data-cp-thanks-title=\"\(htmlEscape(strings.thanksTitle))\" data-cp-thanks-body=\"\(htmlEscape(strings.thanksBody))\""
        html += " data-cp-min-fill=\"\(minimumFillSeconds)\" data-cp-h=\"\(headingLevel)\""
        html +=
            " data-cp-unavailable=\"\(htmlEscape(strings.error("unavailable")))\" data-cp-trust-required=\"\(htmlEscape(strings.error(instrument.form == .a11v1 ? "answers" : "answers.trust")))\">\n"
        html += Self.style
        if state == .thanks {
            html += "<\(h) id=\"\(prefix)-thanks\" class=\"cp-thanks\" tabindex=\"-1\" autofocus>\(htmlEscape(strings.thanksTitle))</\(h)>\n"
            html += "<p role=\"status\">\(htmlEscape(strings.thanksBody))</p>\n"
            html += footer(h2)
            return html + "</div>\n"
        }
        html += "<\(h) id=\"\(prefix)-title\">\(htmlEscape(strings.pageTitle))</\(h)>\n"
        html += languageSwitch()
        html += "<p>\(htmlEscape(strings.intro))</p>\n"
        let errors: [FormError] = if case .errors(let errors) = state { errors } else { [] }
        html += errorSummary(errors, heading: h2)
        html += "<form class=\"cp-body\" method=\"post\" action=\"\(htmlEscape(action))\" novalidate aria-labelledby=\"\(prefix)-title\">\n"
        html += hidden("token", token) + hidden("eventId", eventId) + hidden("lang", language.tag)
        switch instrument.form {
        case .a11v2Thumbs, .a11v2Likert5: html += v2(errors)
        case .a11v1: html += v1(errors)
        }
        html += recommend()
        html += comment(errors)
        html += "<div class=\"cp-hp\" aria-hidden=\"true\"><label for=\"\(prefix)-website\">\(htmlEscape(strings.honeypotLabel))</label>"
        html += "<input type=\"text\" id=\"\(prefix)-website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\" value=\"\"></div>\n"
        html += "<button type=\"submit\" class=\"cp-submit\">\(htmlEscape(strings.submit))</button>\n"
        html += "<p class=\"cp-live\" role=\"status\" aria-live=\"polite\"></p>\n"
        html += "</form>\n"
        html += footer(h2)
        return html + "</div>\n"
    }

    private func languageSwitch() -> String {
        let others = FormLanguage.offered(by: instrument).filter { $0 != language }
        guard !others.isEmpty else { return "" }
        return others.map { other in
            "<p class=\"cp-lang\"><a href=\"/forms/\(htmlEscape(formKey))?lang=\(htmlEscape(other.tag))\" hreflang=\"\(htmlEscape(other.tag))\" lang=\"\(htmlEscape(other.tag))\" data-cp-switch=\"\(htmlEscape(other.tag))\">\(htmlEscape(other.strings.switchTo))</a></p>\n"
        }.joined()
    }

    private func errorSummary(_ errors: [FormError], heading: String) -> String {
        var html = "<div class=\"cp-errors\" id=\"\(prefix)-errors\" tabindex=\"-1\"\(errors.isEmpty ? " hidden" : " autofocus")>"
        html += "<\(heading)>\(htmlEscape(strings.errorSummaryTitle))</\(heading)><ul>"
        for error in errors {
            let target = error.field.map { "#\(prefix)-\(anchor($0))" } ?? "#\(prefix)-title"
            html += "<li><a href=\"\(target)\">\(htmlEscape(error.message))</a></li>"
        }
        return html + "</ul></div>\n"
    }

    /// The element id a field's error links to.
    private func anchor(_ field: String) -> String {
        switch field {
        case "answers.trust", "answers.trust.value", "answers.trust.scale": "trust"
        case "comment": "comment"
        case "answers": "q-first"
        case "answers.wentWell": "wentWell"
        case "answers.didNotGoWell": "didNotGoWell"
        case "answers.recommend": "recommend"
        default: "title"
        }
    }

    private func fieldError(_ errors: [FormError], _ fields: Set<String>, id: String) -> (attributes: String, html: String) {
        guard let error = errors.first(where: { $0.field.map(fields.contains) ?? false }) else { return ("", "") }
        return (" aria-describedby=\"\(id)\"", "<p class=\"cp-error\" id=\"\(id)\">\(htmlEscape(error.message))</p>")
    }

    private func v2(_ errors: [FormError]) -> String {
        let question = instrument.trustQuestion(in: language.tag)
        let questionLang =
            instrument.translations?[language.tag]?.trustQuestion == nil && instrument.languages.first != language.tag
            ? " lang=\"\(htmlEscape(instrument.languages.first ?? "en"))\"" : ""
        let error = fieldError(errors, ["answers.trust", "answers.trust.value", "answers.trust.scale"], id: "\(prefix)-trust-error")
        var html = "<fieldset class=\"cp-q\" id=\"\(prefix)-trust\"\(error.attributes)><legend><span\(questionLang)>\(htmlEscape(question))</span> "
        html += "<span class=\"cp-mark\">\(htmlEscape(strings.requiredMark))</span></legend>\(error.html)\n<div class=\"cp-choices\">"
        let chosen = values.first("trust")
        let thumbs = instrument.form == .a11v2Thumbs
        let options: [(String, String, Bool)] =
            thumbs
            ? [("1", strings.thumbsUp, true), ("0", strings.thumbsDown, false)]
            : (1...5).map { (String($0), "\($0): \(strings.agreement[$0 - 1])", $0 >= 4) }
        for (value, label, favourable) in options {
            let id = "\(prefix)-trust-\(value)"
            html +=
                "<div class=\"cp-choice\"><input type=\"radio\" id=\"\(id)\" name=\"trust\" value=\"\(value)\" class=\"\(favourable ? "cp-fav" : "cp-unfav")\""
            html += (chosen == value ? " checked" : "") + (error.html.isEmpty ? "" : " aria-invalid=\"true\"") + ">"
            html += "<label for=\"\(id)\">\(htmlEscape(label))</label></div>"
        }
        html += "</div></fieldset>\n"
        html += drivers(
            "wentWell",
            legend: strings.wentWellLegend,
            hint: thumbs ? strings.wentWellHintThumbs : strings.wentWellHintLikert,
            options: instrument.wentWellOptions,
            labels: strings.wentWell,
            css: "cp-ww"
        )
        html += drivers(
            "didNotGoWell",
            legend: strings.didNotGoWellLegend,
            hint: thumbs ? strings.didNotGoWellHintThumbs : strings.didNotGoWellHintLikert,
            options: instrument.didNotGoWellOptions,
            labels: strings.didNotGoWell,
            css: "cp-dgw"
        )
        return html
    }

    private func drivers(_ name: String, legend: String, hint: String, options: [Driver], labels: [Driver: String], css: String) -> String {
        let ticked = Set(values.all(name))
        var html = "<fieldset class=\"cp-q \(css)\" id=\"\(prefix)-\(name)\" aria-describedby=\"\(prefix)-\(name)-hint\">"
        html += "<legend>\(htmlEscape(legend)) <span class=\"cp-mark\">\(htmlEscape(strings.optionalMark))</span></legend>"
        html +=
            "<p class=\"cp-hint\" id=\"\(prefix)-\(name)-hint\"><span class=\"cp-nojs\">\(htmlEscape(hint)) </span>\(htmlEscape(strings.selectAll))</p><div class=\"cp-choices\">"
        for driver in options {
            let id = "\(prefix)-\(name)-\(driver.rawValue)"
            html +=
                "<div class=\"cp-choice\"><input type=\"checkbox\" id=\"\(id)\" name=\"\(name)\" value=\"\(driver.rawValue)\"\(ticked.contains(driver.rawValue) ? " checked" : "")>"
            html += "<label for=\"\(id)\">\(htmlEscape(labels[driver] ?? driver.rawValue))</label></div>"
        }
        return html + "</div></fieldset>\n"
    }

    /// The seven A-11 v1 statements, 1-5 agreement each; the trust statement is the instrument's.
    private func v1(_ errors: [FormError]) -> String {
        let error = fieldError(errors, ["answers", "answers.trust"], id: "\(prefix)-v1-error")
        var html = "<p class=\"cp-hint\" id=\"\(prefix)-q-first\" tabindex=\"-1\">\(htmlEscape(strings.v1Hint))</p>\(error.html)\n"
        for name in ["satisfaction", "trust", "effectiveness", "ease", "efficiency", "transparency", "employee"] {
            let statement = name == "trust" ? instrument.trustQuestion(in: language.tag) : strings.v1Statements[name] ?? name
            let chosen = values.first(name)
            html +=
                "<fieldset class=\"cp-q\" id=\"\(prefix)-\(name)\"><legend>\(htmlEscape(statement)) <span class=\"cp-mark\">\(htmlEscape(strings.optionalMark))</span></legend><div class=\"cp-choices\">"
            for value in 1...5 {
                let id = "\(prefix)-\(name)-\(value)"
                html +=
                    "<div class=\"cp-choice\"><input type=\"radio\" id=\"\(id)\" name=\"\(name)\" value=\"\(value)\"\(chosen == String(value) ? " checked" : "")>"
                html += "<label for=\"\(id)\">\(value): \(htmlEscape(strings.agreement[value - 1]))</label></div>"
            }
            html += "</div></fieldset>\n"
        }
        return html
    }

    private func recommend() -> String {
        let chosen = values.first("recommend")
        var html =
            "<fieldset class=\"cp-q\" id=\"\(prefix)-recommend\" aria-describedby=\"\(prefix)-recommend-hint\"><legend>\(htmlEscape(strings.recommendLegend)) "
        html += "<span class=\"cp-mark\">\(htmlEscape(strings.optionalMark))</span></legend>"
        html +=
            "<p class=\"cp-hint\" id=\"\(prefix)-recommend-hint\">\(htmlEscape(strings.recommendLow)); \(htmlEscape(strings.recommendHigh))</p><div class=\"cp-scale\">"
        for value in 0...10 {
            let id = "\(prefix)-recommend-\(value)"
            html +=
                "<div class=\"cp-choice\"><input type=\"radio\" id=\"\(id)\" name=\"recommend\" value=\"\(value)\"\(chosen == String(value) ? " checked" : "")>"
            html += "<label for=\"\(id)\">\(value)</label></div>"
        }
        return html + "</div></fieldset>\n"
    }

    private func comment(_ errors: [FormError]) -> String {
        let error = fieldError(errors, ["comment"], id: "\(prefix)-comment-error")
        let described = "\(prefix)-comment-hint" + (error.html.isEmpty ? "" : " \(prefix)-comment-error")
        var html =
            "<div class=\"cp-q\"><label for=\"\(prefix)-comment\">\(htmlEscape(strings.commentLabel)) <span class=\"cp-mark\">\(htmlEscape(strings.optionalMark))</span></label>"
        html += "<p class=\"cp-hint\" id=\"\(prefix)-comment-hint\">\(htmlEscape(strings.commentHint))</p>\(error.html)"
        html +=
            "<textarea id=\"\(prefix)-comment\" name=\"comment\" rows=\"4\" aria-describedby=\"\(described)\"\(error.html.isEmpty ? "" : " aria-invalid=\"true\"")>"
        return html + htmlEscape(values.first("comment") ?? "") + "</textarea></div>\n"
    }

    private func footer(_ heading: String) -> String {
        let omb = strings.ombLine.replacingOccurrences(of: "%1", with: instrument.ombControlNumber)
            .replacingOccurrences(of: "%2", with: instrument.expiresOn)
        let own = instrument.praBurdenStatement(in: language.tag)
        let fallbackLang = own == nil && instrument.praBurdenStatement != nil ? " lang=\"\(htmlEscape(instrument.languages.first ?? "en"))\"" : ""
        let statement = own ?? instrument.praBurdenStatement ?? strings.defaultBurdenStatement
        return
            "<footer class=\"cp-pra\"><\(heading)>\(htmlEscape(strings.praHeading))</\(heading)><p>\(htmlEscape(omb))</p><p\(fallbackLang)>\(htmlEscape(statement))</p></footer>\n"
    }

    private func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(name)\" value=\"\(htmlEscape(value))\">\n"
    }

    /// The form's styles: AA contrast, a 3 px focus ring, no motion, one column that reflows to 320 px, and the
    /// A-11 v2 display logic for browsers with `:has()` (the script does it for the others).
    static let style = """
        <style>
        .cp-form{font:1rem/1.5 system-ui,sans-serif;color:#1b1b1b;background:#fff;max-width:40rem;padding:1rem;box-sizing:border-box}
        .cp-form *{box-sizing:border-box}
        .cp-form fieldset{border:1px solid #565c65;border-radius:4px;margin:0 0 1rem;padding:.5rem 1rem 1rem;min-width:0}
        .cp-form legend{font-weight:700;padding:0 .25rem}
        .cp-form .cp-mark{font-weight:400}
        .cp-form .cp-hint{color:#3d4551;margin:.25rem 0}
        .cp-form .cp-choice{display:flex;align-items:flex-start;gap:.5rem;margin:.35rem 0}
        .cp-form .cp-choice input{width:1.25rem;height:1.25rem;margin:.15rem 0 0;flex:none}
        .cp-form .cp-scale{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
        .cp-form textarea{width:100%;font:inherit;border:1px solid #565c65;padding:.5rem}
        .cp-form .cp-submit{font:inherit;font-weight:700;color:#fff;background:#005ea2;border:0;border-radius:4px;padding:.6rem 1.5rem;cursor:pointer}
        .cp-form a{color:#005ea2}
        .cp-form :focus-visible{outline:3px solid #005ea2;outline-offset:2px}
        .cp-form .cp-errors{border-left:.5rem solid #b50909;padding:.5rem 1rem;margin:0 0 1rem}
        .cp-form .cp-errors[hidden]{display:none}
        .cp-form .cp-error{color:#b50909;font-weight:700;margin:.25rem 0}
        .cp-form .cp-hp{display:none}
        .cp-form .cp-pra{font-size:.875rem;color:#3d4551;border-top:1px solid #dfe1e2;margin-top:1.5rem}
        @supports selector(:has(*)){
        .cp-form .cp-ww,.cp-form .cp-dgw{display:none}
        .cp-form:has(.cp-fav:checked) .cp-ww,.cp-form:has(.cp-unfav:checked) .cp-dgw{display:block}
        .cp-form .cp-nojs{display:none}
        }
        @media (prefers-reduced-motion:reduce){.cp-form *{transition:none!important;animation:none!important;scroll-behavior:auto!important}}
        </style>

        """
}

/// Escapes `text` for HTML text and double-quoted attribute values.
func htmlEscape(_ text: some StringProtocol) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": output += "&amp;"
        case "<": output += "&lt;"
        case ">": output += "&gt;"
        case "\"": output += "&quot;"
        case "'": output += "&#39;"
        default: output.unicodeScalars.append(character)
        }
    }
    return output
}
