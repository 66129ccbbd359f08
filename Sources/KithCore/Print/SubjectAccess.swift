import Foundation

/// Everything held about a family, or about one person in it, for a subject access
/// request: every record as it stands, every change made to it (when, by whom, from what
/// to what), its printouts and exports, and who opened, saved, printed or exported the
/// family on this laptop. One self-contained HTML file for people and a JSON file for
/// machines, made from the same content.
///
/// For one person: the family's own record, theirs, and every record that names them
/// (by their id: assessments about them, notes where they were seen, consents…).
///
/// With `redactThirdParties`, the names of people other than the subject — the family's
/// network and professionals, and for one person the rest of the household — are
/// replaced wherever they appear (whole names, and given names of three letters or more).
public struct SubjectAccess: Sendable {
    /// One line of the audit trail about the family.
    public struct Access: Hashable, Sendable {
        public var atMillis: Int64
        public var actor: String
        public var action: String
        public var fields: [String]

        public init(atMillis: Int64, actor: String, action: String, fields: [String]) {
            self.atMillis = atMillis
            self.actor = actor
            self.action = action
            self.fields = fields
        }
    }

    /// A record included, with its history, oldest change first.
    public struct Item: Sendable {
        public var ref: EntityRef
        public var value: Value
        public var history: [Event]
    }

    public let file: CaseFile
    public let person: Person.ID?
    public let items: [Item]
    public let access: [Access]
    let redactions: [String]

    public init(file: CaseFile, person: Person.ID? = nil, access: [Access], redactThirdParties: Bool) {
        self.file = file
        self.person = person
        self.access = access.sorted { $0.atMillis < $1.atMillis }
        var byEntity: [EntityRef: [Event]] = [:]
        for event in file.events { byEntity[event.entity, default: []].append(event) }
        let order = Dictionary(RecordKind.allCases.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var refs = Set(file.values.keys)
        if let person {
            let id = Value.string(person.raw)
            refs = refs.filter { $0 == file.familyRef || ($0.kind == .person && $0.id == person.raw) || SubjectAccess.mentions(file.values[$0], id) }
        }
        items = refs.sorted { a, b in
            let ca = file.meta[a]?.createdAt, cb = file.meta[b]?.createdAt
            if order[a.kind] != order[b.kind] { return order[a.kind, default: 99] < order[b.kind, default: 99] }
            switch (ca, cb) {
            case let (x?, y?) where x != y: return x < y
            default: return a.id < b.id
            }
        }.map { ref in
            Item(ref: ref, value: file.values[ref] ?? .null, history: (byEntity[ref] ?? []).sorted { ($0.hlc, $0.id) < ($1.hlc, $1.id) })
        }
        var names: [String] = []
        if redactThirdParties {
            for member in file.network.values { names += SubjectAccess.redactable(member.name) }
            for professional in file.professionals.values { names += SubjectAccess.redactable(professional.name) }
            if let person {
                for other in file.people.values where other.id != person {
                    names += SubjectAccess.redactable(other.fullName) + other.aliases.flatMap(SubjectAccess.redactable)
                }
            }
        }
        // Longest first, so a whole name goes before the given name inside it.
        redactions = Array(Set(names)).sorted { ($0.count, $0) > ($1.count, $1) }
    }

    static func redactable(_ name: String) -> [String] {
        let whole = name.trimmingCharacters(in: .whitespaces)
        guard !whole.isEmpty else { return [] }
        let given = whole.split(separator: " ").first.map(String.init) ?? ""
        return given.count >= 3 && given != whole ? [whole, given] : [whole]
    }

    /// Whether `value` holds `wanted` anywhere.
    static func mentions(_ value: Value?, _ wanted: Value) -> Bool {
        switch value {
        case .some(let v) where v == wanted: true
        case .array(let items)?: items.contains { mentions($0, wanted) }
        case .object(let fields)?: fields.values.contains { mentions($0, wanted) }
        default: false
        }
    }

    /// What replaces every third party's name in a text with `mark`: whole words only
    /// (a name inside a longer word is left), any case.
    func redactor(_ mark: String) -> (String) -> String {
        guard !redactions.isEmpty else { return { $0 } }
        let names = redactions.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
        guard let pattern = try? NSRegularExpression(pattern: "(?<![\\p{L}\\p{N}])(?:\(names))(?![\\p{L}\\p{N}])", options: [.caseInsensitive]) else {
            return { _ in mark }
        }
        let template = NSRegularExpression.escapedTemplate(for: mark)
        return { text in
            pattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
    }

    /// A value as one line for people: ids of users and household members become names.
    func display(_ value: Value?, _ s: Strings, _ userName: (String) -> String?) -> String {
        switch value {
        case nil, .null?: return "—"
        case .bool(let b)?: return s(b ? "export.yes" : "export.no")
        case .int(let n)?: return String(n)
        case .double(let d)?: return d.isFinite ? String(d) : "—"
        case .string(let text)?:
            if let person = file.people[Person.ID(text)] { return person.fullName }
            return userName(text) ?? text
        case .array(let items)?: return items.map { display($0, s, userName) }.joined(separator: "; ")
        case .object(let fields)?:
            return "(" + fields.keys.sorted().map { "\($0): \(display(fields[$0], s, userName))" }.joined(separator: ", ") + ")"
        }
    }

    static func stamp(_ millis: Int64) -> String {
        let seconds = Double(millis) / 1000
        let day = Day(secondsSince1970: seconds)
        let minutes = Int((seconds - Double(day.ordinal) * 86_400) / 60)
        return "\(day.iso) \(String(format: "%02d:%02d", minutes / 60, minutes % 60)) UTC"
    }

    // MARK: - For people

    /// The HTML file: the family (or person), each record with its fields and history, and
    /// the access log. `userName` names a user id (nil when it isn't one).
    public func html(strings s: Strings, today: Day, producedBy: String, userName: (String) -> String?) -> String {
        let clean = redactor(s("subject.redacted"))
        let subject = person.flatMap { file.people[$0] }.map { clean($0.fullName) }
        var doc = Document(title: s("subject.title", ["ref": file.family.reference]),
                           subtitle: s("subject.produced", ["date": s.date(today), "name": producedBy]), language: s.language)
        doc.running = doc.title
        doc.add(.fields([
            .init(s("subject.family"), clean(file.family.displayName)),
            .init(s("subject.scope"), subject.map { s("subject.scope.person", ["name": $0]) } ?? s("subject.scope.family")),
            .init(s("subject.records"), String(items.count)),
            .init(s("subject.redaction"), redactions.isEmpty ? s("subject.redaction.none") : s("subject.redaction.done", ["n": String(redactions.count)])),
        ]))
        doc.add(.paragraph(s("subject.explain")))
        for item in items {
            let made = item.history.first.map { s.date($0.hlc.day) } ?? ""
            doc.add(.heading("\(s(item.ref.kind.labelKey)) · \(item.ref.id)" + (made.isEmpty ? "" : " · \(made)")))
            // An attached file's bytes are in the JSON file, not spelt out here in base64.
            let isFile = { (key: String) in item.ref.kind == .attachment && key == "content" }
            let fileNote = s("subject.fileContent")
            let fields = (item.value.objectValue ?? [:]).keys.sorted().map { key in
                // A record's own ids stay ids; ids inside it become names.
                let value = item.value.objectValue?[key]
                if isFile(key) { return Document.Field(key, fileNote) }
                return Document.Field(key, ["id", "familyID"].contains(key) ? value?.stringValue ?? "—" : clean(display(value, s, userName)))
            }
            doc.add(.fields(fields))
            let rows = item.history.map { event -> [String] in
                let what = event.changes.map { change in
                    isFile(change.field) ? "\(change.field): \(fileNote)"
                        : "\(change.field): \(clean(display(change.old, s, userName))) → \(clean(display(change.new, s, userName)))"
                }.joined(separator: "\n")
                return [SubjectAccess.stamp(event.hlc.wallMillis), userName(event.author.raw) ?? event.author.raw, s("subject.action.\(event.action.rawValue)"), what]
            }
            doc.add(.table(headers: [s("subject.column.when"), s("subject.column.who"), s("subject.column.action"), s("subject.column.changes")], rows: rows))
        }
        doc.add(.heading(s("subject.access")))
        doc.add(.paragraph(s("subject.access.explain")))
        doc.add(.table(headers: [s("subject.column.when"), s("subject.column.who"), s("subject.column.action"), s("subject.column.fields")],
                       rows: access.map { [SubjectAccess.stamp($0.atMillis), userName($0.actor) ?? $0.actor, $0.action, $0.fields.joined(separator: ", ")] }))
        return doc.html()
    }

    // MARK: - For machines

    /// The JSON file: the same records (fields as stored), their changes and the access log.
    public func json(today: Day, userName: (String) -> String?) -> String {
        let redact = redactor("[redacted]")
        func clean(_ value: Value?) -> Value {
            switch value {
            case nil: return .null
            case .string(let text)?: return .string(redact(text))
            case .array(let items)?: return .array(items.map { clean($0) })
            case .object(let fields)?: return .object(fields.mapValues { clean($0) })
            case let other?: return other
            }
        }
        let records: [Value] = items.map { item in
            .object([
                "kind": .string(item.ref.kind.rawValue), "id": .string(item.ref.id), "fields": clean(item.value),
                "history": .array(item.history.map { event in
                    .object([
                        "at": .string(SubjectAccess.stamp(event.hlc.wallMillis)), "by": .string(event.author.raw),
                        "byName": .string(userName(event.author.raw) ?? ""), "action": .string(event.action.rawValue),
                        "changes": .array(event.changes.map { .object(["field": .string($0.field), "old": clean($0.old), "new": clean($0.new)]) }),
                    ])
                }),
            ])
        }
        let root: Value = .object([
            "format": .string("kith-subject-access-1"), "family": .string(file.family.reference), "familyID": .string(file.family.id.raw),
            "person": person.map { .string($0.raw) } ?? .null, "producedOn": .string(today.iso), "redacted": .bool(!redactions.isEmpty),
            "records": .array(records),
            "access": .array(access.map {
                .object(["at": .string(SubjectAccess.stamp($0.atMillis)), "by": .string($0.actor), "byName": .string(userName($0.actor) ?? ""),
                         "action": .string($0.action), "fields": .array($0.fields.map(Value.string))])
            }),
        ])
        return root.json + "\n"
    }
}

extension Value {
    /// The value as JSON: keys sorted, every control character and line separator escaped,
    /// so the file is plain ASCII-safe text whatever the records hold.
    public var json: String {
        var out = ""
        write(json: &out)
        return out
    }

    private func write(json out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let text): Value.quote(text, into: &out)
        case .array(let items):
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += "," }
                item.write(json: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (n, key) in fields.keys.sorted().enumerated() {
                if n > 0 { out += "," }
                Value.quote(key, into: &out)
                out += ":"
                fields[key]!.write(json: &out)
            }
            out += "}"
        }
    }

    private static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
