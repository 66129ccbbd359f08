import KithCore

/// What a form asks for, built fresh from the current language and case file (so a
/// recovered draft shows in today's language with today's options). Only the values
/// (`FormState`) are saved in drafts.
public struct FormSpec: Sendable, Equatable {
    public var title: String
    public var fields: [FieldSpec]

    public init(title: String, fields: [FieldSpec]) {
        self.title = title
        self.fields = fields
    }

    public func field(_ id: String) -> FieldSpec? { fields.first { $0.id == id } }

    /// Fields that take the cursor (not headings or read-only text).
    public var focusable: [FieldSpec] { fields.filter(\.kind.isFocusable) }
}

public struct FieldSpec: Sendable, Equatable {
    public var id: String
    public var label: String
    public var kind: FieldKind
    public var required: Bool
    /// A line of guidance shown when the field has the cursor (and in the assessment, on request).
    public var hint: String?
    /// The label takes its own line above the widget (long labels: assessment items).
    public var labelAbove: Bool

    public init(_ id: String, _ label: String, _ kind: FieldKind, required: Bool = false, hint: String? = nil, labelAbove: Bool = false) {
        self.id = id
        self.label = label
        self.kind = kind
        self.required = required
        self.hint = hint
        self.labelAbove = labelAbove
    }
}

public indirect enum FieldKind: Sendable, Equatable {
    case text(secret: Bool)
    case note(lines: Int)
    case choice([PickList.Option])
    case multiChoice([PickList.Option])
    case toggle
    case date
    case rating(RatingSpec)
    case rows(RowsSpec)
    case heading
    case info([String])

    public var isFocusable: Bool {
        switch self {
        case .heading, .info: false
        default: true
        }
    }

    public static var text: FieldKind { .text(secret: false) }
}

/// A rating field: the scale's options, and the previous assessment's rating to show beside it.
public struct RatingSpec: Sendable, Equatable {
    public var options: [RatingScale.Option]
    public var previous: Rating?
    public var allowUnknown: Bool
    /// For describing the change from the previous rating (nil: no direction).
    public var higherIsBetter: Bool?

    public init(options: [RatingScale.Option], previous: Rating? = nil, allowUnknown: Bool = true, higherIsBetter: Bool? = nil) {
        self.options = options
        self.previous = previous
        self.allowUnknown = allowUnknown
        self.higherIsBetter = higherIsBetter
    }
}

/// Repeating rows (actions, attendees, worries…): each row is a small form of its own.
public struct RowsSpec: Sendable, Equatable {
    public var rowTitle: String
    public var fields: [FieldSpec]
    /// The fields whose values summarise a row in the list, in order.
    public var summary: [String]

    public init(rowTitle: String, fields: [FieldSpec], summary: [String]) {
        self.rowTitle = rowTitle
        self.fields = fields
        self.summary = summary
    }
}
