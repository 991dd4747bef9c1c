/// The per-form-key embed script, `GET /forms/{key}/embed.js`: the form already rendered for the chosen language,
/// with a fresh single-use form token, inside a script that inserts it after its own tag as soon as it runs. The
/// host page then needs one request to show the form, not the two in sequence of `embed.js` and the fragment.
///
/// After inserting the form, it loads the cached, static `/forms/embed.js` once per page (or calls it when it is
/// there already), which adds the display logic, the error and thanks handling and the offline queue. Until then
/// the form is a plain form posting to the service, as with JavaScript off.
///
/// The markup reaches the script as one JavaScript string literal (``javaScriptString(_:)``): the instrument's
/// texts, already HTML-escaped in the markup, cannot end the literal, the script or the HTML element around it.
enum KeyedEmbedScript {
    /// The script for `fragment`, the form's markup (``FormPage/fragment(headingLevel:)``).
    static func render(fragment: String) -> String {
        prologue + javaScriptString(fragment) + ");\n"
    }

    /// What precedes the markup's literal: the code, in one function called with the markup.
    private static let prologue = """
        /* CivicPulse form, rendered for this page in one request. It carries a single-use form token: never cache it. */
        (function (html) {
          'use strict';
          var script = document.currentScript;
          if (!script || !script.parentNode) return;
          var base = new URL(script.src, location.href).origin;
          var box = document.createElement('div');
          box.innerHTML = html;
          var root = box.querySelector('.cp-form');
          if (!root) return;
          root.setAttribute('data-cp-embedded', '1');
          /* The markup's addresses are the service's own: absolute, the plain form posts there until enhanced. */
          var form = root.querySelector('form');
          if (form) form.setAttribute('action', base + form.getAttribute('action'));
          Array.prototype.forEach.call(root.querySelectorAll('a[href^="/"]'), function (a) { a.setAttribute('href', base + a.getAttribute('href')); });
          script.parentNode.insertBefore(root, script.nextSibling);
          if (window.CivicPulseForm) return window.CivicPulseForm.enhance(root);
          if (document.querySelector('script[data-cp-enhancer]')) return;
          var enhancer = document.createElement('script');
          enhancer.src = base + '/forms/embed.js';
          enhancer.async = true;
          enhancer.setAttribute('data-cp-enhancer', '1');
          document.head.appendChild(enhancer);
        })(
        """
}

/// `text` as a double-quoted JavaScript string literal that is also valid JSON and safe anywhere in HTML: `"` and `\`
/// escaped, `<`, `>`, `&` and `'` as `\u003c`-style escapes (so no `</script>`, `<!--` or `]]>`), control characters,
/// U+007F and the line terminators U+2028 and U+2029 as `\u` escapes; every other character as itself (UTF-8).
func javaScriptString(_ text: some StringProtocol) -> String {
    var output = "\""
    output.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": output += "\\\""
        case "\\": output += "\\\\"
        case "\n": output += "\\n"
        case "\r": output += "\\r"
        case "\t": output += "\\t"
        case "<", ">", "&", "'", "\u{7F}", "\u{2028}", "\u{2029}", "\u{00}"..."\u{1F}":
            let hex = String(scalar.value, radix: 16)
            output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: output.unicodeScalars.append(scalar)
        }
    }
    return output + "\""
}
