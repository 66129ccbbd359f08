import KithCore

/// Any record's form: fields from the catalog, typed values autosaved as a draft within
/// a second of every change, saved durably with Ctrl-S. Nothing blocks keeping a draft;
/// saving shows every problem at once, beside its field.
public struct FormScreen: ScreenModel {
    public let purpose: FormPurpose
    public let spec: FormSpec
    public internal(set) var state: FormState
    public let draftID: String
    /// When the draft was last written (seconds since 1970); 0 = never.
    var lastDraftAt: Double = 0
    /// Changed since the draft was last written.
    var draftDirty = false
    /// The family as it was when the form opened (nil for a new family or store).
    let file: CaseFile?
    /// The save, or the duplicate check before it, on its way.
    var pendingSave: RequestID?
    var pendingDuplicateCheck: RequestID?
    var duplicatesConfirmed = false
    /// The person has seen the summary of a record that can't be edited once saved.
    var finalConfirmed = false

    /// How long typing may go on before the draft is written again (well inside a second).
    public static let draftInterval = 0.5

    public init(purpose: FormPurpose, file: CaseFile?, state: FormState? = nil, draftID: String? = nil,
                context: AppContext) {
        self.purpose = purpose
        self.file = file
        let spec = FormCatalog.spec(for: purpose, file: file, context: context)
        self.spec = spec
        self.state = state ?? FormState(spec: spec, values: FormCatalog.initialValues(for: purpose, file: file, context: context))
        self.draftID = draftID ?? context.ids.text("D", count: 15)
        if state != nil { lastDraftAt = context.now }
    }

    var doneKey: String { "status.saved.\(purpose.titleKey.split(separator: ".").last ?? "record")" }

    public static let keys = Keymap(titleKey: "form.help.title", [
        Binding([.ctrl("s")], .save, footer: true),
        Binding([.tab], .nextField, footer: true),
        Binding([.backTab], .previousField),
        Binding([.escape], .back, footer: true),
        Binding([.enter, .char(" ")], .pickOption),
        Binding([.char("+"), .char("a"), .insert], .addRow),
        Binding([.char("-"), .char("d"), .delete], .removeRow),
    ])

    public var keymap: Keymap { FormScreen.keys }

    public func title(_ context: AppContext) -> String {
        var title = spec.title
        if let family = file?.family { title += " — \(family.displayName)" }
        return title
    }

    public func takesText(_ key: Key) -> Bool { state.takesText(spec) }

    /// Puts the cursor on a field, as Tab would reach it, scrolled into `viewport`.
    public mutating func focus(on field: String, viewport: Size) {
        state.focus(on: field, spec, viewport: viewport)
    }

    static func viewport(_ context: AppContext) -> Size {
        Size(width: context.screenArea.width, height: max(1, context.screenArea.height - 1))
    }

    public var unsavedDraft: DraftEnvelope? {
        guard state.dirty || !state.rowEditor.isEmpty else { return nil }
        return envelope(at: lastDraftAt)
    }

    func envelope(at time: Double) -> DraftEnvelope {
        var saved = state
        if !saved.rowEditor.isEmpty { saved.committed = false }
        return DraftEnvelope(id: draftID, family: purpose.family, savedAt: time, content: .form(purpose, saved))
    }

    // MARK: - Update

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        let outcome = state.handle(key, spec: spec, viewport: FormScreen.viewport(context), today: context.today)
        var actions: [ScreenAction] = []
        switch outcome {
        case .changed:
            draftDirty = true
            state.problems[state.focus ?? ""] = nil
        case .tooLong(let limit):
            actions.append(.status(context.strings("form.tooLong", ["n": String(limit)]), .error))
        case .moved:
            if state.committed { draftDirty = draftDirty || state.dirty }
        case .ignored:
            // What the form did not take is the screen's, through its keymap.
            switch keymap.command(for: key) {
            // The draft first (so it holds everything if the save fails), then the save,
            // which removes the draft once the record is durable.
            case .save?: return autosave(context: context, force: true) + submit(context: context)
            case .back?: return close(context: context)
            default: break
            }
        }
        return actions + autosave(context: context, force: false)
    }

    public mutating func paste(_ text: String, context: AppContext) -> [ScreenAction] {
        switch state.paste(text, spec: spec, viewport: FormScreen.viewport(context)) {
        case .changed:
            draftDirty = true
            return autosave(context: context, force: true)
        case .tooLong(let limit):
            return [.status(context.strings("form.pasteTooLong", ["n": String(text.count), "limit": String(limit)]), .error)]
        case .ignored:
            return [.status(context.strings("form.pasteHere"), .info)]
        case .moved:
            return []
        }
    }

    public mutating func tick(context: AppContext) -> [ScreenAction] {
        autosave(context: context, force: false)
    }

    /// Writes the draft when something changed and either a field was finished or half
    /// a second has passed since the last write.
    mutating func autosave(context: AppContext, force: Bool) -> [ScreenAction] {
        guard draftDirty, purpose.keepsDraft else { return [] }
        guard force || state.committed || context.now - lastDraftAt >= FormScreen.draftInterval else { return [] }
        draftDirty = false
        state.committed = false
        lastDraftAt = context.now
        return [.effect(.saveDraft(envelope(at: context.now)))]
    }

    mutating func close(context: AppContext) -> [ScreenAction] {
        // Where a printout or a file goes is not worth a question (nor kept as a draft).
        if !purpose.keepsDraft && purpose != .setupStore { return [.pop] }
        guard state.dirty else {
            return (lastDraftAt > 0 ? [.effect(.discardDraft(draftID))] : []) + [.pop]
        }
        return [.dialog(.closeUnsaved(context.strings))]
    }

    /// A choice in one of this form's dialogs (closing, saving for good, a likely duplicate).
    public mutating func chose(_ choice: DialogChoice, context: AppContext) -> [ScreenAction] {
        let s = context.strings
        switch choice.id {
        case "save":
            return submit(context: context)
        case "keep":
            return [.effect(.saveDraft(envelope(at: context.now))), .pop, .status(s("form.keptAsDraft"), .info)]
        case "discard":
            return [.effect(.discardDraft(draftID)), .pop]
        case "final":
            finalConfirmed = true
            return submit(context: context)
        case "duplicate":
            duplicatesConfirmed = true
            return submit(context: context)
        case "openOther":
            return [.effect(.saveDraft(envelope(at: context.now))), .pop, .effect(.openFamily(Family.ID(choice.value), then: .show)),
                    .status(s("form.keptAsDraft"), .info)]
        default:
            return []
        }
    }

    /// Checks the form and asks the edge to save it.
    mutating func submit(context: AppContext) -> [ScreenAction] {
        let s = context.strings
        // A save (or the duplicate check before it) is already on its way: a second Ctrl-S
        // must not make the record twice.
        guard pendingSave == nil && pendingDuplicateCheck == nil else { return [] }
        if !state.rowEditor.isEmpty { state.closeRowEditor() }
        switch FormCatalog.records(for: purpose, state: state, file: file, context: context, ids: context.ids) {
        case .failure(let failure):
            let problems = failure.fields
            state.problems = problems
            if let first = spec.focusable.first(where: { problems[$0.id] != nil }) {
                state.focus(on: first.id, spec, viewport: FormScreen.viewport(context))
            }
            return [.status(s("form.notSaved", ["n": String(problems.count)]), .error)]
        case .success(let output):
            state.problems = [:]
            switch output {
            case .createStore(let request):
                return [.effect(.createStore(request))]
            case .share(let request):
                return [.pop, .effect(.print(request))]
            case .attachment(let family, let action):
                let request = Request(context)
                pendingSave = request.id
                return [.effect(.attachment(AttachmentRequest(request, family: family, action: action)))]
            case .records(let family, let records, let createsFamily):
                if createsFamily && !duplicatesConfirmed, purpose.makesFamily {
                    let request = Request(context)
                    pendingDuplicateCheck = request.id
                    let members = state.rows("members").map {
                        DuplicateCheck.NewMember(givenName: $0.text("givenName"), familyName: $0.text("familyName"), dateOfBirth: $0.day("dateOfBirth", today: context.today))
                    }
                    return [.effect(.checkDuplicates(request, members: members, familyName: state.text("displayName"), excluding: nil))]
                }
                if !finalConfirmed, records.contains(where: { Mutability.isFinal($0) }) {
                    return confirmFinal(context: context)
                }
                let request = Request(context)
                pendingSave = request.id
                return [.effect(.save(SaveRequest(request, family: family, records: records, createsFamily: createsFamily, draftID: draftID)))]
            }
        }
    }

    /// A meeting, a note, an agreed plan or a closure can't be edited once saved: show
    /// what is in it (how many rows each list has, which fields are empty) and ask once.
    func confirmFinal(context: AppContext) -> [ScreenAction] {
        let s = context.strings
        var lines = [s("form.final.explain", ["what": spec.title])]
        var empty: [String] = []
        for field in spec.focusable {
            if case .rows(let value) = state[field.id] {
                lines.append("• " + s("form.final.rows", ["what": field.label, "n": String(value.rows.count)]))
            } else if state[field.id].isEmpty {
                empty.append(field.label)
            }
        }
        if !empty.isEmpty {
            let shown = empty.prefix(4).joined(separator: ", ") + (empty.count > 4 ? " " + s("form.final.more", ["n": String(empty.count - 4)]) : "")
            lines.append("• " + s("form.final.empty", ["fields": shown]))
        }
        let dialog = Dialog(title: s("form.final.title"), message: lines,
                            choices: [(.char("s"), s("form.final.save")), (.escape, s("form.final.back"))])
        return [.dialog(PendingDialog(dialog: dialog, choices: [.char("s"): DialogChoice("final")]))]
    }

    /// The save is durable (the edge removed the draft): close, and say so. A new family
    /// opens in place of its form.
    public mutating func receive(_ result: ScreenResult, for request: RequestID, context: AppContext) -> [ScreenAction] {
        switch result {
        case .saved(let file, _) where request == pendingSave:
            pendingSave = nil
            let done = ScreenAction.status(context.strings(doneKey), .info)
            if purpose.makesFamily, context.session?.policy.canSee(file.family) == true {
                return [.replace(.family(FamilyScreen(file: file, context: context))), done]
            }
            return [.pop, done]
        case .duplicates(let matches) where request == pendingDuplicateCheck:
            return duplicatesFound(matches, context: context)
        case .failed:
            // The app says why; the form stays as it is, to try again.
            if request == pendingSave { pendingSave = nil }
            if request == pendingDuplicateCheck { pendingDuplicateCheck = nil }
            return []
        default:
            return []
        }
    }

    /// The duplicate check came back: save if nothing similar exists, otherwise show the
    /// matches first and let the worker decide.
    mutating func duplicatesFound(_ matches: [DuplicateMatch], context: AppContext) -> [ScreenAction] {
        pendingDuplicateCheck = nil
        guard !matches.isEmpty else {
            duplicatesConfirmed = true
            return submit(context: context)
        }
        let s = context.strings
        var lines = [s("duplicate.intro")]
        for match in matches.prefix(6) {
            let name = match.visible ? (match.displayName ?? "⊘ " + s("caseload.sensitive")) : s("duplicate.notYours")
            let dob = match.sameDateOfBirth ? " · " + s("duplicate.sameBirth") : ""
            lines.append("• \(match.reference) \(name) · \(s("duplicate.lead", ["name": match.lead]))\(dob)")
        }
        lines.append(s("duplicate.question"))
        var choices: [(key: Key, label: String)] = [(.char("y"), s("duplicate.saveAnyway"))]
        var chosen: [Key: DialogChoice] = [.char("y"): DialogChoice("duplicate")]
        if let visible = matches.first(where: \.visible) {
            choices.append((.char("o"), s("duplicate.open", ["reference": visible.reference])))
            chosen[.char("o")] = DialogChoice("openOther", visible.familyID.raw)
        }
        choices.append((.escape, s("duplicate.goBack")))
        let dialog = Dialog(title: s("duplicate.title"), message: lines, choices: choices)
        return [.dialog(PendingDialog(dialog: dialog, choices: chosen))]
    }

    // MARK: - View

    public func render(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        // The title is in the header bar; this line gives the focused field's guidance.
        let (top, body) = area.splitTop(1)
        buffer.fill(top, style: ctx[.normal])
        let hint = state.focus.flatMap { spec.field($0)?.hint } ?? (spec.fields.contains { $0.required } ? context.strings("form.requiredHint") : "")
        buffer.put(hint.isEmpty ? "" : "ⓘ " + hint, x: top.x + 1, y: top.y, style: ctx[.formHint], maxWidth: top.width - 2)
        state.render(spec, into: &buffer, area: body, context: ctx)
    }
}
