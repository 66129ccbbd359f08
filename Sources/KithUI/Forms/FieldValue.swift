import KithCore

/// The value of one field, with the widget state that goes with it (cursor, scroll),
/// so a recovered draft comes back exactly as it was left.
public enum FieldValue: Hashable, Sendable, Codable {
    case text(TextField)
    case note(NoteEditor)
    case choice(PickList)
    case multi(MultiChoice)
    case toggle(Checkbox)
    case date(DateField)
    case rating(RatingScale)
    case rows(RowsValue)
    case none

    /// The empty value for a kind of field.
    public static func empty(_ kind: FieldKind) -> FieldValue {
        switch kind {
        case .text(let secret): .text(TextField(secret: secret))
        case .note: .note(NoteEditor())
        case .choice: .choice(PickList())
        case .multiChoice: .multi(MultiChoice())
        case .toggle: .toggle(Checkbox())
        case .date: .date(DateField())
        case .rating: .rating(RatingScale())
        case .rows: .rows(RowsValue())
        case .heading, .info: .none
        }
    }

    // Convenience constructors for prefilled forms.
    public static func text(_ string: String?) -> FieldValue { .text(TextField(string ?? "")) }
    public static func note(_ string: String?) -> FieldValue { .note(NoteEditor(string ?? "")) }
    public static func choice(_ id: String?) -> FieldValue { .choice(PickList(selected: id)) }
    public static func toggle(_ on: Bool) -> FieldValue { .toggle(Checkbox(on)) }
    public static func date(_ day: Day?) -> FieldValue { .date(DateField(day)) }
    public static func multi(_ ids: [String]) -> FieldValue { .multi(MultiChoice(selected: ids)) }
    public static func rows(_ rows: [[String: FieldValue]]) -> FieldValue { .rows(RowsValue(rows: rows)) }

    /// Whether the value holds anything a person typed or chose.
    public var isEmpty: Bool {
        switch self {
        case .text(let f): f.text.allSatisfy(\.isWhitespace)
        case .note(let n): n.text.allSatisfy(\.isWhitespace)
        case .choice(let p): p.selected == nil
        case .multi(let m): m.selected.isEmpty
        case .toggle(let c): !c.checked
        case .date(let d): d.field.text.isEmpty
        case .rating(let r): r.rating == .notRated
        case .rows(let r): r.rows.isEmpty
        case .none: true
        }
    }
}

/// Several options chosen from a list (who was seen, which children an assessment covers).
public struct MultiChoice: Hashable, Sendable, Codable {
    public var selected: [String]
    public var cursor: Int

    public init(selected: [String] = [], cursor: Int = 0) {
        self.selected = selected
        self.cursor = cursor
    }

    /// ← → move, Space toggles. Returns whether the key was used.
    public mutating func handle(_ key: Key, options: [PickList.Option]) -> Bool {
        guard !options.isEmpty else { return false }
        switch key {
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(options.count - 1, cursor + 1)
        case .char(" "), .char("x"):
            let id = options[min(cursor, options.count - 1)].id
            if let i = selected.firstIndex(of: id) { selected.remove(at: i) } else { selected.append(id) }
        default: return false
        }
        return true
    }
}

/// The rows of a repeating field and which one is selected.
public struct RowsValue: Hashable, Sendable, Codable {
    public var rows: [[String: FieldValue]]
    public var selected: Int

    public init(rows: [[String: FieldValue]] = [], selected: Int = 0) {
        self.rows = rows
        self.selected = selected
    }
}

extension FieldValue {
    public var textValue: String {
        switch self {
        case .text(let f): f.text
        case .note(let n): n.text
        case .date(let d): d.field.text
        default: ""
        }
    }
}
