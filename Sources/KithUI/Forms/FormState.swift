import KithCore

/// Everything typed into a form, and where the cursor is. This is what drafts save.
public struct FormState: Hashable, Sendable, Codable {
    public var values: [String: FieldValue]
    /// The field with the cursor (by id, so it survives a changed spec).
    public var focus: String?
    /// First content row shown.
    public var scroll: Int = 0
    /// The row being edited in a repeating field (at most one; nested forms recurse).
    public var rowEditor: [RowEditor] = []
    /// A repeating field whose selected row waits for "remove? y/n".
    public var pendingRemoval: String?
    /// Problems found when saving, by field id, shown under the fields.
    public var problems: [String: String] = [:]
    /// Changed since the form opened (or since the last save).
    public var dirty = false
    /// A field was finished (cursor left it, or a choice was made): autosave now.
    public var committed = false

    public init(spec: FormSpec, values: [String: FieldValue] = [:]) {
        var all = values
        for field in spec.fields where all[field.id] == nil { all[field.id] = .empty(field.kind) }
        self.values = all
        focus = spec.focusable.first?.id
    }

    public struct RowEditor: Hashable, Sendable, Codable {
        public var field: String
        /// The row being edited; nil for a new row.
        public var index: Int?
        public var form: FormState
    }

    public subscript(id: String) -> FieldValue {
        get { values[id] ?? .none }
        set { values[id] = newValue }
    }

    // MARK: - Reading values

    public func text(_ id: String) -> String {
        self[id].textValue.trimmingCharacters(in: " \n\t")
    }

    public func optionalText(_ id: String) -> String? {
        let value = text(id)
        return value.isEmpty ? nil : value
    }

    /// Multi-line text as typed (surrounding blank lines trimmed).
    public func note(_ id: String) -> String { text(id) }

    public func choice(_ id: String) -> String? {
        if case .choice(let pick) = self[id] { return pick.selected }
        return nil
    }

    public func choice<L: Labelled>(_ id: String, as type: L.Type) -> L? { choice(id).flatMap(L.init(rawValue:)) }

    public func flag(_ id: String) -> Bool {
        if case .toggle(let box) = self[id] { return box.checked }
        return false
    }

    public func multi(_ id: String) -> [String] {
        if case .multi(let m) = self[id] { return m.selected }
        return []
    }

    public func rating(_ id: String) -> Rating {
        if case .rating(let r) = self[id] { return r.rating }
        return .notRated
    }

    public func date(_ id: String, today: Day) -> DateField.Parsed {
        if case .date(let d) = self[id] { return d.parsed(today: today) }
        return .empty
    }

    public func day(_ id: String, today: Day) -> Day? {
        if case .day(let day) = date(id, today: today) { return day }
        return nil
    }

    /// The rows of a repeating field, each as a small form state.
    public func rows(_ id: String) -> [FormState] {
        guard case .rows(let value) = self[id] else { return [] }
        return value.rows.map { values in
            var row = FormState(spec: FormSpec(title: "", fields: []))
            row.values = values
            return row
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
