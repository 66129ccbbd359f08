import KithCore

/// A family's conflicts: each field changed on two laptops without either seeing the
/// other's change, with every value — who chose it, on which laptop, when. The person
/// settles one by choosing a value (`1`–`9`); the choice is saved like any change and
/// reaches every laptop with the next bundles. Nothing is chosen for them.
public struct ConflictScreen: ScreenModel {
    public private(set) var file: CaseFile
    var table = TableView()
    /// The settlement on its way (a second key waits for it).
    var pending: RequestID?

    public init(file: CaseFile) {
        self.file = file
        table.setCount(file.conflicts.count)
    }

    public static let keys = Keymap(titleKey: "conflicts.title", [
        Binding((1...9).map { .char(Character("\($0)")) }, .chooseValue, footer: true),
        Binding([.escape], .back, footer: true),
    ] + Keymap.listMoves + Keymap.helpAndQuit)

    public var keymap: Keymap { ConflictScreen.keys }

    public func title(_ context: AppContext) -> String {
        context.strings("conflicts.title.family", ["name": file.family.displayName])
    }

    var selected: FieldConflict? {
        let conflicts = file.conflicts
        return conflicts.indices.contains(table.selected) ? conflicts[table.selected] : nil
    }

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        guard let command = keymap.command(for: key) else { return [] }
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
            _ = table.handle(command, visibleRows: 5)
        case .chooseValue:
            guard pending == nil, let conflict = selected, case .char(let digit) = key, let n = digit.wholeNumberValue,
                  conflict.values.indices.contains(n - 1) else { return [] }
            let request = Request(context)
            pending = request.id
            return [.effect(.resolveConflict(ResolveRequest(request, family: file.family.id, conflict: conflict, value: conflict.values[n - 1])))]
        case .back: return [.pop]
        case .help: return [.showHelp]
        case .quit: return [.requestQuit]
        default: break
        }
        return []
    }

    public mutating func receive(_ result: ScreenResult, for request: RequestID, context: AppContext) -> [ScreenAction] {
        guard request == pending else { return [] }
        pending = nil
        guard case .saved(let saved, _) = result else { return [] }
        take(saved)
        if file.conflicts.isEmpty { return [.pop, .status(context.strings("conflicts.allSettled"), .info)] }
        return [.status(context.strings("conflicts.settled"), .info)]
    }

    public mutating func familyChanged(_ changed: CaseFile, row: CaseloadRow?, context: AppContext) {
        if changed.family.id == file.family.id { take(changed) }
    }

    private mutating func take(_ changed: CaseFile) {
        let selectedPath = selected.map { $0.ref.description + $0.path }
        file = changed
        let conflicts = file.conflicts
        table.setCount(conflicts.count)
        if let selectedPath, let position = conflicts.firstIndex(where: { $0.ref.description + $0.path == selectedPath }) { table.selected = position }
    }

    /// The record a conflict is in, as a person knows it.
    static func recordName(_ conflict: FieldConflict, _ file: CaseFile, _ s: Strings) -> String {
        let kind = s("kind.\(conflict.ref.kind.rawValue)")
        switch conflict.ref.kind {
        case .family: return kind
        case .plan: return kind + (file.plans[Plan.ID(conflict.ref.id)].map { " · " + $0.title } ?? "")
        case .person: return kind + (file.people[Person.ID(conflict.ref.id)].map { " · " + $0.fullName } ?? "")
        default: return kind
        }
    }

    /// The field as its form calls it (and, inside a list, the element's field).
    static func fieldName(_ conflict: FieldConflict, _ s: Strings) -> String {
        // The family form names some fields shorter than the record does.
        let formNames = ["serviceLevel": "level", "riskLevel": "risk", "displayName": "name", "interpreterNeeded": "interpreter"]
        let field = conflict.ref.kind == .family ? formNames[conflict.field] ?? conflict.field : conflict.field
        let top = "field.\(conflict.ref.kind.rawValue).\(field)"
        var name = s.has(top) ? s(top) : conflict.field
        if !FieldPath.elements(containing: conflict.path).isEmpty, let last = conflict.path.split(separator: ".").last.map(String.init),
           !last.contains("[") {
            name += " › " + (s.has("field.action.\(last)") ? s("field.action.\(last)") : last)
        }
        return name
    }

    /// Family fields whose values are choices, with the prefix of their labels.
    static let choices = ["serviceLevel": ServiceLevel.labelPrefix, "riskLevel": RiskLevel.labelPrefix,
                          "status": FamilyStatus.labelPrefix, "language": LanguagePreference.labelPrefix]

    /// A leaf's value as the person knows it: a choice by its label, a worker by name.
    static func text(_ value: Value?, of conflict: FieldConflict, _ s: Strings, _ context: AppContext) -> String {
        if case .string(let raw)? = value, conflict.ref.kind == .family {
            if let prefix = choices[conflict.field], s.has("\(prefix).\(raw)") { return s("\(prefix).\(raw)") }
            if conflict.field == "lead" || conflict.field == "coworkers" { return context.session?.name(User.ID(raw)) ?? raw }
        }
        return text(value, s)
    }

    /// A leaf's value as text: a removed element says so.
    static func text(_ value: Value?, _ s: Strings) -> String {
        switch value {
        case nil, .null?: return s("conflicts.removed")
        case .string(let text)?: return text.isEmpty ? s("conflicts.empty") : text
        case .int(let n)?: return String(n)
        case .double(let d)?: return String(d)
        case .bool(let b)?: return s(b ? "conflicts.yes" : "conflicts.no")
        case .array(let items)?: return items.map { text($0, s) }.joined(separator: ", ")
        case .object(let fields)?: return fields.keys.sorted().compactMap { fields[$0].map { text($0, s) } }.joined(separator: " · ")
        }
    }

    public func render(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        let s = context.strings
        buffer.fill(area, style: ctx[.normal])
        let conflicts = file.conflicts
        let (summaryRow, rest) = area.splitTop(1)
        buffer.put(s("conflicts.summary", ["n": String(conflicts.count)]), x: area.x + 1, y: summaryRow.y, style: ctx[.muted], maxWidth: area.width - 2)
        let listHeight = min(max(3, conflicts.count + 1), max(3, rest.height / 2))
        let (list, details) = rest.splitTop(listHeight)
        table.render(into: &buffer, area: list, columns: [
            .init(s("conflicts.column.record"), width: 16, flex: 2), .init(s("conflicts.column.field"), width: 12, flex: 1),
            .init(s("conflicts.column.values"), width: 8, fit: true),
        ], context: ctx, emptyText: s("conflicts.none")) { i in
            let c = conflicts[i]
            return [.init(ConflictScreen.recordName(c, file, s)), .init(ConflictScreen.fieldName(c, s)), .init(String(c.values.count))]
        }
        guard let conflict = selected else { return }
        var y = details.y + 1
        buffer.put(s("conflicts.choose"), x: details.x + 1, y: y, style: ctx[.title], maxWidth: details.width - 2)
        y += 1
        for (n, value) in conflict.values.enumerated() where y < details.y + details.height {
            let heads = conflict.heads.filter { $0.value == value }
            let who = heads.map { head in
                s("conflicts.who", ["name": context.session?.name(head.author) ?? head.author.raw, "device": head.hlc.device.raw,
                                    "date": s.date(head.hlc.day), "time": ConflictScreen.time(head.hlc)])
            }.joined(separator: "; ")
            buffer.put("\(n + 1)  " + ConflictScreen.text(value, of: conflict, s, context), x: details.x + 2, y: y, style: ctx[.normal], maxWidth: details.width - 4)
            y += 1
            if y < details.y + details.height {
                buffer.put("   " + who, x: details.x + 2, y: y, style: ctx[.muted], maxWidth: details.width - 4)
                y += 1
            }
        }
        buffer.cursor = nil
    }

    /// "14:05", in UTC as the clock records it.
    static func time(_ hlc: HLC) -> String {
        let minutes = Int((hlc.wallMillis / 60_000) % (24 * 60))
        return String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}
