/// The contract's examples, as DESIGN.md shows them.
package enum ContractExample {
    /// DESIGN.md's submitted A-11 v2 response (thumbs trust, drivers, recommend, comment, identity token).
    package static let submittedV2 = """
        {"schema": "cx.feedback.submitted/1",
         "eventId": "0b6f3c1e-5d2a-4a0e-9a57-1c1f5f3e2b10",
         "occurredAt": "2026-11-20T15:04:05Z",
         "agency": "IRS", "service": "free-file", "channel": "web", "touchpoint": "after-filing",
         "level": "transaction", "journeyId": null, "stage": null,
         "form": "a11-v2",
         "answers": {"trust": {"scale": "thumbs", "value": 1},
                     "wentWell": ["effectiveness", "ease"], "didNotGoWell": [],
                     "recommend": 9},
         "comment": "Filing was quick and the help text was clear.",
         "identity": {"idToken": "eyJhbGciOiJSUzI1NiIsImtpZCI6..."},
         "locale": "en-US"}
        """
}
