import KithCore

/// A family's conflicts: each field changed on two laptops without either seeing the
/// other's change, with every value — who chose it, on which laptop, when. The person
/// settles one by choosing a value (`1`–`9`) or, for a text, by writing a new one (`w`,
/// autosaved as a draft like any form); the settlement is saved like any change and
/// reaches every laptop with the next bundles. Nothing is chosen for them.
public struct ConflictScreen: ScreenModel {
    public private(set) var file: CaseFile
    var table = TableView()
    /// The settlement on its way (a second key waits for it).
    var pending: RequestID?
    /// A new value being written, when it is.
    public private(set) var writing: Writing?

    /// A new value for one conflict, as it is typed.
    public struct Writing: Sendable, Equatable {
        /// The conflict it settles, as it stood when writing began (if someone settles it
        /// meanwhile, the save is refused and the text stays).
        public var conflict: FieldConflict
        public var editor: NoteEditor
        public var draftID: String
        var dirty = false
        var lastDraftAt: Double = 0
    }

    public init(file: CaseFile) {
        self.file = file
        table.setCount(file.conflicts.count)
    }

    /// On one conflict (from the list across families).
    public init(file: CaseFile, selecting ref: EntityRef, path: String) {
        self.init(file: file)
        if let position = file.conflicts.firstIndex(where: { $0.ref == ref && $0.path == path }) { table.selected = position }
    }

    /// Back to a new value that was being written (a recovered draft).
    public init(file: CaseFile, resuming draft: ConflictDraft, draftID: String) {
        self.init(file: file)
        let conflict = file.conflicts.first { $0.ref == draft.ref && $0.path == draft.path }
        if let conflict, let position = file.conflicts.firstIndex(of: conflict) { table.selected = position }
        var editor = NoteEditor(draft.text)
        editor.editor.cursor = editor.editor.count
        writing = Writing(conflict: conflict ?? FieldConflict(ref: draft.ref, path: draft.path, heads: []), editor: editor,
                          draftID: draftID, lastDraftAt: 1)
    }

    public static let keys = Keymap(titleKey: "conflicts.title", [
        Binding((1...9).map { .char(Character("\($0)")) }, .chooseValue, footer: true),
        Binding([.char("w")], .writeValue, footer: true),
        Binding([.escape], .back, footer: true),
    ] + Keymap.listMoves + Keymap.helpAndQuit)

    /// While a new value is written: every other key is typed.
    public static let writingKeys = Keymap(titleKey: "conflicts.write.title", [
        Binding([.ctrl("s")], .save, footer: true),
        Binding([.escape], .back, footer: true),
    ])

    public var keymap: Keymap { writing == nil ? ConflictScreen.keys : ConflictScreen.writingKeys }

    public func takesText(_ key: Key) -> Bool { writing != nil && ConflictScreen.writingKeys.command(for: key) == nil }

    /// Whether a conflict can be settled with a written value: a text field (a choice, a
    /// worker or a whole list element is settled by choosing, then edited in its form).
    public static func takesWrittenValue(_ conflict: FieldConflict) -> Bool {
        if conflict.path.hasSuffix("]") || conflict.path.hasSuffix("#") { return false }
        if conflict.ref.kind == .family, choices[conflict.field] != nil || ["lead", "coworkers", "team"].contains(conflict.field) { return false }
        let values = conflict.values.compactMap { $0 }
        return !values.isEmpty && values.allSatisfy { if case .string = $0 { true } else { false } }
    }

    /// The typed value, as a draft to recover after a crash.
    public var unsavedDraft: DraftEnvelope? {
        guard let writing, writing.dirty || writing.lastDraftAt > 0 else { return nil }
        return envelope(writing, at: writing.lastDraftAt)
    }

    func envelope(_ writing: Writing, at time: Double) -> DraftEnvelope {
        DraftEnvelope(id: writing.draftID, family: file.family.id, savedAt: time,
                      content: .conflictValue(ConflictDraft(ref: writing.conflict.ref, path: writing.conflict.path, text: writing.editor.text)))
    }

    public func title(_ context: AppContext) -> String {
        context.strings("conflicts.title.family", ["name": file.family.displayName])
    }

    var selected: FieldConflict? {
        let conflicts = file.conflicts
        return conflicts.indices.contains(table.selected) ? conflicts[table.selected] : nil
    }

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        if writing != nil { return handleWriting(key, context: context) }
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
        case .writeValue:
            guard pending == nil, let conflict = selected else { return [] }
            guard ConflictScreen.takesWrittenValue(conflict) else { return [.status(context.strings("conflicts.write.notText"), .info)] }
            // Starts from the latest value, so a small change is a small edit.
            let latest = conflict.heads.last { if case .string = $0.value { true } else { false } }
            var editor = NoteEditor(latest.flatMap { if case .string(let text)? = $0.value { text } else { nil } } ?? "")
            editor.editor.cursor = editor.editor.count
            writing = Writing(conflict: conflict, editor: editor, draftID: context.ids.text("D", count: 15))
        case .back: return [.pop]
        case .help: return [.showHelp]
        case .quit: return [.requestQuit]
        default: break
        }
        return []
    }

    public mutating func paste(_ text: String, context: AppContext) -> [ScreenAction] {
        guard var writing, pending == nil else { return [] }
        let size = ConflictScreen.editorSize(context)
        switch writing.editor.paste(TextSanitizer.text(text), width: size.width, height: size.height) {
        case .tooLong(let limit):
            return [.status(context.strings("form.pasteTooLong", ["n": String(text.count), "limit": String(limit)]), .error)]
        case .changed:
            writing.dirty = true
        default: break
        }
        self.writing = writing
        return autosave(context: context, force: true)
    }

    public mutating func tick(context: AppContext) -> [ScreenAction] { autosave(context: context, force: false) }

    /// Keys while a new value is written: Ctrl-S saves it, Escape asks before dropping it.
    mutating func handleWriting(_ key: Key, context: AppContext) -> [ScreenAction] {
        guard var writing else { return [] }
        switch ConflictScreen.writingKeys.command(for: key) {
        case .save?:
            return autosave(context: context, force: true) + submit(context: context)
        case .back?:
            guard writing.dirty || writing.lastDraftAt > 0 else {
                self.writing = nil
                return []
            }
            return [.dialog(.closeUnsaved(context.strings))]
        default:
            guard pending == nil else { return [] }
            let size = ConflictScreen.editorSize(context)
            switch writing.editor.handle(key, width: size.width, height: size.height) {
            case .changed: writing.dirty = true
            case .tooLong(let limit):
                self.writing = writing
                return [.status(context.strings("form.tooLong", ["n": String(limit)]), .error)]
            default: break
            }
            self.writing = writing
            return autosave(context: context, force: false)
        }
    }

    public mutating func chose(_ choice: DialogChoice, context: AppContext) -> [ScreenAction] {
        guard let writing else { return [] }
        switch choice.id {
        case "save":
            return autosave(context: context, force: true) + submit(context: context)
        case "keep":
            self.writing = nil
            return [.effect(.saveDraft(envelope(writing, at: context.now))), .status(context.strings("form.keptAsDraft"), .info)]
        case "discard":
            self.writing = nil
            return [.effect(.discardDraft(writing.draftID))]
        default:
            return []
        }
    }

    /// The written value, cleaned of what a terminal or printout would obey, to the store.
    mutating func submit(context: AppContext) -> [ScreenAction] {
        guard pending == nil, let writing else { return [] }
        let request = Request(context)
        pending = request.id
        return [.effect(.resolveConflict(ResolveRequest(request, family: file.family.id, conflict: writing.conflict,
                                                        value: .string(TextSanitizer.text(writing.editor.text)), draftID: writing.draftID)))]
    }

    /// Writes the draft half a second after typing (at once when forced).
    mutating func autosave(context: AppContext, force: Bool) -> [ScreenAction] {
        guard var writing, writing.dirty, force || context.now - writing.lastDraftAt >= FormScreen.draftInterval else { return [] }
        writing.dirty = false
        writing.lastDraftAt = context.now
        self.writing = writing
        return [.effect(.saveDraft(envelope(writing, at: context.now)))]
    }

    /// The editor's size: the lower half of the screen, inside a margin.
    static func editorSize(_ context: AppContext) -> (width: Int, height: Int) {
        (max(1, context.screenArea.width - 4), max(1, context.screenArea.height / 2 - 3))
    }

    public mutating func receive(_ result: ScreenResult, for request: RequestID, context: AppContext) -> [ScreenAction] {
        guard request == pending else { return [] }
        pending = nil
        guard case .saved(let saved, _) = result else { return [] }
        writing = nil
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
        if let writing {
            let size = ConflictScreen.editorSize(context)
            let editorArea = Rect(x: area.x + 2, y: area.maxY - size.height, width: min(size.width, area.width - 4), height: size.height)
            let conflict = writing.conflict
            buffer.put(s("conflicts.write.prompt", ["field": ConflictScreen.fieldName(conflict, s), "record": ConflictScreen.recordName(conflict, file, s)]),
                       x: area.x + 1, y: editorArea.y - 1, style: ctx[.title], maxWidth: area.width - 2)
            writing.editor.render(into: &buffer, area: editorArea, style: ctx[.formFieldFocused], focused: true)
            return
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
