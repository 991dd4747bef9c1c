import CivicModels

/// Every text of the hosted form, its errors and its embed, in one language. English and Spanish exist
/// (``english``, ``spanish``); the instrument's own texts (the trust question, the burden statement) come from
/// the instrument.
struct FormStrings: Sendable {
    /// The language's primary subtag, `en` or `es`.
    var code: String
    /// The language's own name, for the switch link.
    var name: String
    var pageTitle: String
    var intro: String
    var requiredMark: String
    var optionalMark: String
    var thumbsUp: String
    var thumbsDown: String
    /// Strongly disagree … strongly agree.
    var agreement: [String]
    var wentWellLegend: String
    var didNotGoWellLegend: String
    var wentWellHintThumbs: String
    var wentWellHintLikert: String
    var didNotGoWellHintThumbs: String
    var didNotGoWellHintLikert: String
    var selectAll: String
    var wentWell: [Driver: String]
    var didNotGoWell: [Driver: String]
    var v1Statements: [String: String]
    var v1Hint: String
    var recommendLegend: String
    var recommendLow: String
    var recommendHigh: String
    var commentLabel: String
    var commentHint: String
    var honeypotLabel: String
    var submit: String
    var sending: String
    var errorSummaryTitle: String
    var thanksTitle: String
    var thanksBody: String
    var offlineSaved: String
    var praHeading: String
    /// `%1` the control number, `%2` the expiry date.
    var ombLine: String
    var defaultBurdenStatement: String
    /// The label of a link to this language, in this language.
    var switchTo: String
    var errors: [String: String]

    /// The error text for `code`, or the generic one.
    func error(_ code: String) -> String { errors[code] ?? errors["generic", default: ""] }

    /// The strings of `code` (`en` or `es`), English for anything else.
    static func of(_ code: String) -> FormStrings { code == "es" ? spanish : english }

    static let english = FormStrings(
        code: "en",
        name: "English",
        pageTitle: "Tell us about your experience",
        intro: "This survey takes about a minute. Your answers help us improve this service.",
        requiredMark: "(required)",
        optionalMark: "(optional)",
        thumbsUp: "Thumbs up: yes",
        thumbsDown: "Thumbs down: no",
        agreement: ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
        wentWellLegend: "What went well?",
        didNotGoWellLegend: "What didn't go well?",
        wentWellHintThumbs: "Answer only if you chose thumbs up.",
        wentWellHintLikert: "Answer only if you chose agree or strongly agree.",
        didNotGoWellHintThumbs: "Answer only if you chose thumbs down.",
        didNotGoWellHintLikert: "Answer only if you chose strongly disagree, disagree, or neither.",
        selectAll: "Select all that apply.",
        wentWell: [
            .effectiveness: "My need was addressed", .ease: "It was easy to complete what I needed to do",
            .efficiency: "It took a reasonable amount of time", .transparency: "It was clear what to do and what to expect",
            .humanity: "I was treated with respect", .employee: "The employees I dealt with were helpful", .other: "Something else",
        ],
        didNotGoWell: [
            .effectiveness: "My need was not addressed", .ease: "It was hard to complete what I needed to do",
            .efficiency: "It took too long", .transparency: "It was unclear what to do or what to expect",
            .humanity: "I was not treated with respect", .employee: "The employees I dealt with were not helpful",
            .other: "Something else",
        ],
        v1Statements: [
            "satisfaction": "I am satisfied with the service I received.", "effectiveness": "My need was addressed.",
            "ease": "It was easy to complete what I needed to do.", "efficiency": "It took a reasonable amount of time to do what I needed to do.",
            "transparency": "I understood what was being asked of me throughout the process.",
            "employee": "The employees I interacted with were helpful.",
        ],
        v1Hint: "Answer at least one question.",
        recommendLegend: "How likely are you to recommend this service to someone else?",
        recommendLow: "0: not at all likely",
        recommendHigh: "10: extremely likely",
        commentLabel: "Is there anything else you would like to tell us?",
        commentHint: "Please do not include personal information such as your name, address, or Social Security number.",
        honeypotLabel: "Leave this field empty",
        submit: "Submit",
        sending: "Sending your response…",
        errorSummaryTitle: "There is a problem with your response",
        thanksTitle: "Thank you for your feedback",
        thanksBody: "We received your response.",
        offlineSaved: "You are offline. Your response is saved on this device and will be sent when you are back online.",
        praHeading: "Paperwork Reduction Act statement",
        ombLine: "OMB Control No. %1, expires %2",
        defaultBurdenStatement:
            "An agency may not conduct or sponsor, and a person is not required to respond to, a collection of information "
            + "unless it displays a currently valid OMB control number. The public reporting burden for this collection is "
            + "estimated to average two minutes per response. Responding is voluntary.",
        switchTo: "View in English",
        errors: [
            "answers.trust": "Answer the first question.",
            "answers": "Answer at least one question.",
            "comment_too_long": "Your comment is too long. Shorten it and submit again.",
            "form_too_fast": "Please take a moment to read the questions, then submit again.",
            "form_token_expired": "This form was open for a long time. Check your answers and submit again.",
            "form_token_invalid": "This form could not be verified. Reload the page and try again.",
            "form_token_spent": "This form was already sent. Reload the page to answer again.",
            "origin_not_allowed": "This form cannot be used on this page.",
            "rate_limited": "Many responses were just sent from this form. Please try again in a minute.",
            "unavailable": "We could not receive your response right now. Please try again in a few minutes.",
            "generic": "Your response could not be accepted. Check your answers and try again.",
        ]
    )

    static let spanish = FormStrings(
        code: "es",
        name: "Español",
        pageTitle: "Cuéntenos sobre su experiencia",
        intro: "Esta encuesta toma alrededor de un minuto. Sus respuestas nos ayudan a mejorar este servicio.",
        requiredMark: "(obligatoria)",
        optionalMark: "(opcional)",
        thumbsUp: "Pulgar arriba: sí",
        thumbsDown: "Pulgar abajo: no",
        agreement: ["Muy en desacuerdo", "En desacuerdo", "Ni de acuerdo ni en desacuerdo", "De acuerdo", "Muy de acuerdo"],
        wentWellLegend: "¿Qué salió bien?",
        didNotGoWellLegend: "¿Qué no salió bien?",
        wentWellHintThumbs: "Responda solo si eligió pulgar arriba.",
        wentWellHintLikert: "Responda solo si eligió de acuerdo o muy de acuerdo.",
        didNotGoWellHintThumbs: "Responda solo si eligió pulgar abajo.",
        didNotGoWellHintLikert: "Responda solo si eligió muy en desacuerdo, en desacuerdo o ni de acuerdo ni en desacuerdo.",
        selectAll: "Seleccione todas las que correspondan.",
        wentWell: [
            .effectiveness: "Se atendió mi necesidad", .ease: "Fue fácil hacer lo que necesitaba",
            .efficiency: "Tomó un tiempo razonable", .transparency: "Estaba claro qué hacer y qué esperar",
            .humanity: "Me trataron con respeto", .employee: "Los empleados que me atendieron fueron útiles", .other: "Otra cosa",
        ],
        didNotGoWell: [
            .effectiveness: "No se atendió mi necesidad", .ease: "Fue difícil hacer lo que necesitaba",
            .efficiency: "Tomó demasiado tiempo", .transparency: "No estaba claro qué hacer ni qué esperar",
            .humanity: "No me trataron con respeto", .employee: "Los empleados que me atendieron no fueron útiles",
            .other: "Otra cosa",
        ],
        v1Statements: [
            "satisfaction": "Estoy satisfecho con el servicio que recibí.", "effectiveness": "Se atendió mi necesidad.",
            "ease": "Fue fácil hacer lo que necesitaba.", "efficiency": "Tomó un tiempo razonable hacer lo que necesitaba.",
            "transparency": "Entendí lo que se me pedía durante todo el proceso.",
            "employee": "Los empleados con quienes traté fueron útiles.",
        ],
        v1Hint: "Responda al menos una pregunta.",
        recommendLegend: "¿Qué tan probable es que recomiende este servicio a otra persona?",
        recommendLow: "0: nada probable",
        recommendHigh: "10: muy probable",
        commentLabel: "¿Hay algo más que quiera decirnos?",
        commentHint: "No incluya información personal como su nombre, su dirección o su número de Seguro Social.",
        honeypotLabel: "Deje este campo vacío",
        submit: "Enviar",
        sending: "Enviando su respuesta…",
        errorSummaryTitle: "Hay un problema con su respuesta",
        thanksTitle: "Gracias por sus comentarios",
        thanksBody: "Recibimos su respuesta.",
        offlineSaved: "No tiene conexión. Su respuesta se guardó en este dispositivo y se enviará cuando vuelva a estar en línea.",
        praHeading: "Declaración de la Ley de Reducción de Trámites",
        ombLine: "Número de control de la OMB %1, vence el %2",
        defaultBurdenStatement:
            "Una agencia no puede realizar ni patrocinar una recopilación de información, y nadie está obligado a responderla, "
            + "a menos que muestre un número de control de la OMB vigente. Se calcula que responder toma en promedio dos "
            + "minutos. Responder es voluntario.",
        switchTo: "Ver en español",
        errors: [
            "answers.trust": "Responda la primera pregunta.",
            "answers": "Responda al menos una pregunta.",
            "comment_too_long": "Su comentario es demasiado largo. Acórtelo y envíelo de nuevo.",
            "form_too_fast": "Tómese un momento para leer las preguntas y luego envíe de nuevo.",
            "form_token_expired": "Este formulario estuvo abierto mucho tiempo. Revise sus respuestas y envíe de nuevo.",
            "form_token_invalid": "No se pudo verificar este formulario. Vuelva a cargar la página e inténtelo de nuevo.",
            "form_token_spent": "Este formulario ya se envió. Vuelva a cargar la página para responder de nuevo.",
            "origin_not_allowed": "Este formulario no se puede usar en esta página.",
            "rate_limited": "Se acaban de enviar muchas respuestas desde este formulario. Inténtelo de nuevo en un minuto.",
            "unavailable": "No pudimos recibir su respuesta en este momento. Inténtelo de nuevo en unos minutos.",
            "generic": "No se pudo aceptar su respuesta. Revise sus respuestas e inténtelo de nuevo.",
        ]
    )
}
