import KithCore

/// An assessment in progress, as drafts save it: which instrument and version, for whom,
/// and every value and cursor position of the form.
public struct AssessmentDraft: Codable, Hashable, Sendable {
    public var assessmentID: Assessment.ID
    public var instrumentID: String
    public var instrumentVersion: Int
    public var kind: Assessment.Kind
    public var date: Day
    public var subjects: [Person.ID]
    public var participants: String
    public var phase: AssessmentScreen.Phase
    public var chooser: FormState
    public var form: FormState
    public var showGuidance: Bool
}

/// Filling an assessment with the family: choose the instrument and who it covers, then
/// rate item by item with evidence, the previous rating beside each. Every change reaches
/// a durable draft within a second; completing makes it immutable.
public struct AssessmentScreen: ScreenModel {
    public enum Phase: String, Codable, Sendable { case choose, rate, summary }

    public internal(set) var draft: AssessmentDraft
    public private(set) var file: CaseFile
    let draftID: String
    var lastDraftAt: Double = 0
    var draftDirty = false
    /// The save on its way, what to say once it is durable, and whether to close then.
    var pendingSave: RequestID?
    var savedDoneKey = "status.saved.assessment"
    var closesAfterSave = false
    /// Asked the store whether someone else has a draft of this instrument for the family.
    var pendingOthersCheck: RequestID?
    /// Went on although someone else has a draft (asked once).
    var othersChecked = false
    /// Another user's draft of this instrument, as offered read only (see `othersDraftsFound`).
    var theirsShown: RecordScreen?
    var chooserSpec: FormSpec
    public internal(set) var spec: FormSpec
    var instrument: Instrument?
    var previous: Assessment?

    // MARK: - Starting

    /// A new assessment: first choose the instrument and who it covers.
    public init(choosingFor file: CaseFile, context: AppContext) {
        self.file = file
        let chooserSpec = AssessmentScreen.chooserSpec(file: file, context: context)
        self.chooserSpec = chooserSpec
        let first = context.instruments.current.first { $0.id == "kith.strengths-needs" } ?? context.instruments.current.first
        let kind: Assessment.Kind = first.flatMap { file.latestCompleted(instrument: $0.id) } == nil ? .initial : .review
        let chooser = FormState(spec: chooserSpec, values: [
            "instrument": .choice(first?.id), "kind": .choice(kind.rawValue), "date": .date(context.today),
            "subjects": .multi(file.children.map(\.id.raw)),
        ])
        draft = AssessmentDraft(assessmentID: context.ids.id(), instrumentID: first?.id ?? "", instrumentVersion: first?.version ?? 1, kind: kind,
                                date: context.today, subjects: [], participants: "", phase: .choose, chooser: chooser,
                                form: FormState(spec: FormSpec(title: "", fields: [])), showGuidance: false)
        draftID = context.ids.text("A", count: 15)
        spec = FormSpec(title: "", fields: [])
    }

    /// An assessment saved earlier as a draft in the case file.
    public init(continuing assessment: Assessment, file: CaseFile, context: AppContext) {
        self.file = file
        chooserSpec = AssessmentScreen.chooserSpec(file: file, context: context)
        draft = AssessmentDraft(assessmentID: assessment.id, instrumentID: assessment.instrumentID, instrumentVersion: assessment.instrumentVersion,
                                kind: assessment.assessmentKind, date: assessment.date, subjects: assessment.subjects, participants: assessment.participants,
                                phase: .rate, chooser: FormState(spec: chooserSpec), form: FormState(spec: FormSpec(title: "", fields: [])), showGuidance: false)
        draftID = context.ids.text("A", count: 15)
        spec = FormSpec(title: "", fields: [])
        prepareRating(context: context, existing: assessment)
    }

    /// A draft recovered after a crash, exactly as it was (cursor included).
    public init(resuming saved: AssessmentDraft, file: CaseFile, draftID: String, context: AppContext) {
        self.file = file
        self.draftID = draftID
        chooserSpec = AssessmentScreen.chooserSpec(file: file, context: context)
        draft = saved
        spec = FormSpec(title: "", fields: [])
        lastDraftAt = context.now
        if saved.phase != .choose {
            let form = saved.form
            prepareRating(context: context, existing: nil)
            draft.form = form
        }
    }

    static func chooserSpec(file: CaseFile, context: AppContext) -> FormSpec {
        let s = context.strings
        let instruments = context.instruments.current.map { PickList.Option(id: $0.id, label: $0.title.text(s.language)) }
        return FormSpec(title: s("assessment.choose.title"), fields: [
            FieldSpec("instrument", s("field.assessment.instrument"), .choice(instruments), required: true),
            FieldSpec("kind", s("field.assessment.kind"), .choice(FormCatalog.options(Assessment.Kind.self, s))),
            FieldSpec("date", s("field.assessment.date"), .date, required: true),
            FieldSpec("subjects", s("field.assessment.subjects"), .multiChoice(FormCatalog.peopleOptions(file, context: context))),
            FieldSpec("participants", s("field.assessment.participants"), .text, hint: s("field.assessment.participants.hint")),
            FieldSpec("about", "", .info(context.instruments.current.map { "\($0.title.text(s.language)): \($0.summary?.text(s.language) ?? "") (\($0.licence))" })),
        ])
    }

    /// Builds the rating form for the chosen instrument.
    mutating func prepareRating(context: AppContext, existing: Assessment?) {
        guard let instrument = context.instruments.instrument(id: draft.instrumentID, version: draft.instrumentVersion) else { return }
        self.instrument = instrument
        let probe = Assessment(id: draft.assessmentID, familyID: file.family.id, instrumentID: instrument.id, instrumentVersion: instrument.version,
                               assessmentKind: draft.kind, date: draft.date)
        previous = file.previousAssessment(before: probe)
        spec = AssessmentScreen.ratingSpec(instrument: instrument, previous: previous, context: context)
        var values: [String: FieldValue] = [:]
        if let existing {
            for (key, rating) in existing.ratings {
                let itemID = key.split(separator: "@").first.map(String.init) ?? key
                if let item = instrument.items.first(where: { $0.id == itemID }), instrument.scale(for: item).kind == .narrative {
                    values["n:\(itemID)"] = .note(rating.evidence)
                } else {
                    values["r:\(key)"] = .rating(RatingScale(rating: rating.rating))
                    values["e:\(key)"] = .note(rating.evidence)
                }
            }
            values["familyView"] = .note(existing.familyView)
            values["childVoice"] = .note(existing.childVoice)
            values["summary"] = .note(existing.summary)
        }
        draft.form = FormState(spec: spec, values: values)
    }

    static func ratingSpec(instrument: Instrument, previous: Assessment?, context: AppContext) -> FormSpec {
        let s = context.strings
        let language = s.language
        var fields: [FieldSpec] = []
        for domain in instrument.domains {
            fields.append(FieldSpec("h:\(domain.id)", domain.title.text(language), .heading))
            for item in domain.items {
                let scale = instrument.scale(for: item)
                let guidance = item.guidance?.text(language)
                if scale.kind == .narrative {
                    fields.append(FieldSpec("n:\(item.id)", item.text.text(language), .note(lines: 3), hint: guidance))
                    continue
                }
                let options = scale.options.map { RatingScale.Option(value: $0.value, label: scale.label($0.value, polarity: item.polarity)?.text(language) ?? "") }
                let raters: [String?] = instrument.raters.isEmpty ? [nil] : instrument.raters
                for rater in raters {
                    let key = RatingKey.make(item: item.id, rater: rater)
                    let label = item.text.text(language) + (rater.map { " — " + s("rater.\($0)") } ?? "")
                    fields.append(FieldSpec("r:\(key)", label, .rating(RatingSpec(options: options, previous: previous?.rating(key),
                                                                                      higherIsBetter: scale.higherIsBetter)), hint: guidance, labelAbove: true))
                    fields.append(FieldSpec("e:\(key)", "  " + s("assessment.evidence"), .note(lines: 1), hint: guidance))
                }
            }
        }
        fields.append(FieldSpec("h:voices", s("assessment.voices"), .heading))
        fields.append(FieldSpec("familyView", s("assessment.familyView"), .note(lines: 3), hint: s("assessment.familyView.hint")))
        fields.append(FieldSpec("childVoice", s("assessment.childVoice"), .note(lines: 3), hint: s("assessment.childVoice.hint")))
        fields.append(FieldSpec("summary", s("assessment.summaryText"), .note(lines: 3)))
        return FormSpec(title: instrument.title.text(language), fields: fields)
    }

    /// Puts the cursor on a field of the rating form (by its id: "familyView", "r:<item>"…).
    public mutating func focus(on field: String, context: AppContext) {
        draft.form.focus(on: field, spec, viewport: AssessmentScreen.viewport(context))
    }

    // MARK: - The record

    /// The assessment as the form stands.
    public func assessment(state: Assessment.State, context: AppContext) -> Assessment {
        var ratings: [String: ItemRating] = [:]
        if let instrument {
            for item in instrument.items {
                if instrument.scale(for: item).kind == .narrative {
                    let text = draft.form.note("n:\(item.id)")
                    if !text.isEmpty { ratings[item.id] = ItemRating(rating: .notRated, evidence: text) }
                    continue
                }
                for rater in instrument.raters.isEmpty ? [nil] : instrument.raters.map(Optional.some) {
                    let key = RatingKey.make(item: item.id, rater: rater)
                    let rating = draft.form.rating("r:\(key)")
                    let evidence = draft.form.note("e:\(key)")
                    if rating != .notRated || !evidence.isEmpty { ratings[key] = ItemRating(rating: rating, evidence: evidence) }
                }
            }
        }
        return Assessment(id: draft.assessmentID, familyID: file.family.id, instrumentID: draft.instrumentID, instrumentVersion: draft.instrumentVersion,
                          assessmentKind: draft.kind, date: draft.date, subjects: draft.subjects, participants: draft.participants, ratings: ratings,
                          familyView: draft.form.note("familyView"), childVoice: draft.form.note("childVoice"), summary: draft.form.note("summary"),
                          state: state, completedOn: state == .complete ? context.today : nil,
                          completedBy: state == .complete ? context.session?.user.id : nil)
    }

    public func summary(context: AppContext) -> AssessmentSummary? {
        guard let instrument else { return nil }
        return AssessmentSummary(instrument: instrument, assessment: assessment(state: .draft, context: context), previous: previous)
    }

    /// The save is durable: close when completing (or saving on the way out), otherwise
    /// stay with the saved record. Another user's drafts: see `othersDraftsFound`.
    public mutating func receive(_ result: ScreenResult, for request: RequestID, context: AppContext) -> [ScreenAction] {
        switch result {
        case .saved(let file, _) where request == pendingSave:
            pendingSave = nil
            let done = ScreenAction.status(context.strings(savedDoneKey), .info)
            guard !closesAfterSave else { return [.pop, done] }
            self.file = file
            draft.form.dirty = false
            return [done]
        case .othersDrafts(let found) where request == pendingOthersCheck:
            return othersDraftsFound(found, context: context)
        case .failed:
            if request == pendingSave { pendingSave = nil }
            if request == pendingOthersCheck { pendingOthersCheck = nil }
            return []
        default:
            return []
        }
    }

    // MARK: - Keys

    public static let rateKeys = Keymap(titleKey: "assessment.help.title", [
        Binding([.ctrl("n")], .nextUnrated, footer: true),
        Binding([.ctrl("d")], .jumpDomain, footer: true),
        Binding([.ctrl("g")], .guidance),
        Binding([.ctrl("r"), .function(3)], .summary, footer: true),
        Binding([.ctrl("s")], .save, footer: true),
        Binding([.ctrl("t")], .completeAssessment),
        Binding([.tab], .nextField),
        Binding([.backTab], .previousField),
        Binding([.char("0"), .char("1"), .char("2"), .char("3")], .pickOption),
        Binding([.char("u")], .markUnknown),
        Binding([.backspace], .clearRating),
        Binding([.escape], .back, footer: true),
    ])

    public static let chooseKeys = Keymap(titleKey: "assessment.choose.title", [
        Binding([.ctrl("s"), .function(2)], .startAssessment, footer: true),
        Binding([.tab], .nextField, footer: true),
        Binding([.escape], .back, footer: true),
    ])

    public static let summaryKeys = Keymap(titleKey: "assessment.summary", [
        Binding([.ctrl("t")], .completeAssessment, footer: true),
        Binding([.ctrl("s")], .save, footer: true),
        Binding([.escape, .ctrl("r"), .function(3)], .back, footer: true),
    ])

    public var keymap: Keymap {
        switch draft.phase {
        case .choose: AssessmentScreen.chooseKeys
        case .rate: AssessmentScreen.rateKeys
        case .summary: AssessmentScreen.summaryKeys
        }
    }

    public func title(_ context: AppContext) -> String {
        (instrument?.title.text(context.strings.language) ?? context.strings("assessment.choose.title")) + " — " + file.family.displayName
    }

    public func takesText(_ key: Key) -> Bool {
        switch draft.phase {
        case .choose: draft.chooser.takesText(chooserSpec)
        case .rate: draft.form.takesText(spec)
        case .summary: false
        }
    }

    /// The form's room below the header (which grows to four rows when guidance is shown).
    static func viewport(_ context: AppContext) -> Size {
        Size(width: context.screenArea.width, height: max(1, context.screenArea.height - 4))
    }

    public var unsavedDraft: DraftEnvelope? {
        guard draft.phase != .choose, draft.form.dirty else { return nil }
        return envelope(at: lastDraftAt)
    }

    func envelope(at time: Double) -> DraftEnvelope {
        DraftEnvelope(id: draftID, family: file.family.id, savedAt: time, content: .assessment(draft))
    }

    /// Keys reach the screen through its keymap; those it doesn't bind (and the form keys
    /// it lists for help: Tab, the ratings) go to the form.
    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        let command = keymap.command(for: key)
        switch draft.phase {
        case .choose: return handleChooser(key, context: context)
        case .summary:
            switch command {
            case .back?: draft.phase = .rate; return []
            case .completeAssessment?: return confirmComplete(context: context)
            case .save?: return save(context: context)
            default: return []
            }
        case .rate:
            break
        }
        let s = context.strings
        let viewport = AssessmentScreen.viewport(context)
        switch command {
        case .nextUnrated?:
            guard let instrument else { return [] }
            let current = draft.form.focus.flatMap { $0.hasPrefix("r:") || $0.hasPrefix("e:") ? String($0.dropFirst(2)) : nil }
            guard let next = AssessmentSummary.nextUnrated(in: instrument, assessment: assessment(state: .draft, context: context), after: current) else {
                return [.status(s("assessment.allRated"), .info)]
            }
            draft.form.focus(on: "r:\(next)", spec, viewport: viewport)
            return autosave(context: context, force: false)
        case .jumpDomain?:
            guard let instrument else { return [] }
            var chosen: [Key: DialogChoice] = [:]
            var choices: [(key: Key, label: String)] = []
            for (n, domain) in instrument.domains.enumerated() where n < 9 {
                let key = Key.char(Character(String(n + 1)))
                choices.append((key, domain.title.text(s.language)))
                chosen[key] = DialogChoice("jump", domain.id)
            }
            choices.append((.escape, s("dialog.cancel")))
            return [.dialog(PendingDialog(dialog: Dialog(title: s("assessment.jump"), message: [s("assessment.jump.explain")], choices: choices), choices: chosen))]
        case .guidance?:
            draft.showGuidance.toggle()
            return []
        case .summary?:
            draft.phase = .summary
            return []
        case .completeAssessment?:
            return confirmComplete(context: context)
        default:
            break
        }
        let outcome = draft.form.handle(key, spec: spec, viewport: viewport, today: context.today)
        switch outcome {
        case .changed:
            draftDirty = true
            return autosave(context: context, force: false)
        case .tooLong(let limit):
            return [.status(s("form.tooLong", ["n": String(limit)]), .error)]
        case .moved:
            if draft.form.committed && draft.form.dirty { draftDirty = true }
            return autosave(context: context, force: false)
        case .ignored:
            switch command {
            case .save?: return save(context: context)
            case .back?: return close(context: context)
            default: return []
            }
        }
    }

    /// The store's answer: start at once when nobody else has a draft of this instrument
    /// for the family; otherwise say who and when, and offer to look at theirs (read only).
    mutating func othersDraftsFound(_ found: [OthersDraft], context: AppContext) -> [ScreenAction] {
        pendingOthersCheck = nil
        othersChecked = true
        guard let newest = found.max(by: { $0.savedAt < $1.savedAt }) else { return handleChooser(.ctrl("s"), context: context) }
        let s = context.strings
        let when = s.dateTime(newest.savedAt)
        let instrument = context.instruments.current.first { $0.id == newest.draft.instrumentID }?.title.text(s.language) ?? newest.draft.instrumentID
        var theirs = AssessmentScreen(resuming: newest.draft, file: file, draftID: "others", context: context)
        theirs.draft.phase = .rate
        let shown = file.showing(theirs.assessment(state: .draft, context: context))
        let view = RecordScreen(file: shown, ref: EntityRef(kind: .assessment, id: newest.draft.assessmentID.raw), context: context, readOnly: true)
        let dialog = Dialog(title: s("assessment.others.title"),
                            message: [s("assessment.others.message", ["who": newest.author, "what": instrument, "when": when]),
                                      s("assessment.others.explain")],
                            choices: [(.char("o"), s("assessment.others.open")), (.enter, s("assessment.others.goOn")), (.escape, s("dialog.cancel"))])
        theirsShown = view
        return [.dialog(PendingDialog(dialog: dialog, choices: [.char("o"): DialogChoice("openTheirs"), .enter: DialogChoice("goOn")]))]
    }

    mutating func handleChooser(_ key: Key, context: AppContext) -> [ScreenAction] {
        let viewport = AssessmentScreen.viewport(context)
        let outcome = draft.chooser.handle(key, spec: chooserSpec, viewport: viewport, today: context.today)
        guard outcome == .ignored else { return [] }
        switch keymap.command(for: key) {
        case .startAssessment?:
            let s = context.strings
            guard let id = draft.chooser.choice("instrument"), let instrument = context.instruments.current.first(where: { $0.id == id }) else {
                return [.status(s("assessment.chooseInstrument"), .error)]
            }
            guard case .day(let date) = draft.chooser.date("date", today: context.today) else {
                return [.status(s("date.invalid"), .error)]
            }
            if !othersChecked {
                // Two workers filling the same assessment apart would be merged by hand:
                // say so first if another user's draft exists.
                let request = Request(context)
                pendingOthersCheck = request.id
                return [.effect(.findOthersDrafts(request, family: file.family.id, instrumentID: instrument.id))]
            }
            draft.instrumentID = instrument.id
            draft.instrumentVersion = instrument.version
            draft.kind = draft.chooser.choice("kind", as: Assessment.Kind.self) ?? .initial
            draft.date = date
            draft.subjects = draft.chooser.multi("subjects").map(Person.ID.init)
            draft.participants = draft.chooser.text("participants")
            draft.phase = .rate
            prepareRating(context: context, existing: nil)
            draft.form.dirty = true
            draftDirty = true
            return autosave(context: context, force: true)
        case .back?:
            return [.pop]
        default:
            return []
        }
    }

    public mutating func paste(_ text: String, context: AppContext) -> [ScreenAction] {
        guard draft.phase == .rate else { return [] }
        switch draft.form.paste(text, spec: spec, viewport: AssessmentScreen.viewport(context)) {
        case .changed:
            draftDirty = true
            return autosave(context: context, force: true)
        case .tooLong(let limit):
            return [.status(context.strings("form.pasteTooLong", ["n": String(text.count), "limit": String(limit)]), .error)]
        default:
            return []
        }
    }

    public mutating func tick(context: AppContext) -> [ScreenAction] { autosave(context: context, force: false) }

    mutating func autosave(context: AppContext, force: Bool) -> [ScreenAction] {
        guard draftDirty, draft.phase != .choose else { return [] }
        guard force || draft.form.committed || context.now - lastDraftAt >= FormScreen.draftInterval else { return [] }
        draftDirty = false
        draft.form.committed = false
        lastDraftAt = context.now
        return [.effect(.saveDraft(envelope(at: context.now)))]
    }

    /// Saves the assessment to the case file, still a draft; the screen stays open.
    mutating func save(context: AppContext) -> [ScreenAction] {
        let request = Request(context)
        let draftFirst = autosave(context: context, force: true)
        pendingSave = request.id
        closesAfterSave = false
        savedDoneKey = "status.saved.assessmentDraft"
        return draftFirst + [.effect(.save(SaveRequest(request, family: file.family.id, records: [assessment(state: .draft, context: context)],
                                                       draftID: draftID)))]
    }

    mutating func confirmComplete(context: AppContext) -> [ScreenAction] {
        let s = context.strings
        guard let summary = summary(context: context) else { return [] }
        let message = [s("assessment.complete.rated", ["rated": String(summary.rated), "total": String(summary.total)]), s("assessment.complete.explain")]
        let dialog = Dialog(title: s("assessment.complete.title"), message: message,
                            choices: [(.char("c"), s("assessment.complete.yes")), (.escape, s("assessment.complete.no"))])
        return [.dialog(PendingDialog(dialog: dialog, choices: [.char("c"): DialogChoice("complete")]))]
    }

    /// Saves the assessment as complete (the person confirmed) and closes once it is saved.
    mutating func complete(context: AppContext) -> [ScreenAction] {
        let request = Request(context)
        pendingSave = request.id
        closesAfterSave = true
        savedDoneKey = "status.saved.assessment"
        return [.effect(.save(SaveRequest(request, family: file.family.id, records: [assessment(state: .complete, context: context)],
                                          draftID: draftID)))]
    }

    /// A choice in one of this screen's dialogs.
    public mutating func chose(_ choice: DialogChoice, context: AppContext) -> [ScreenAction] {
        let s = context.strings
        switch choice.id {
        case "jump":
            guard let instrument else { return [] }
            let first = spec.fields.first { field in
                field.id.hasPrefix("r:")
                    && instrument.domain(of: String(field.id.dropFirst(2)).split(separator: "@").first.map(String.init) ?? "")?.id == choice.value
            }
            draft.form.focus(on: first?.id ?? "", spec, viewport: AssessmentScreen.viewport(context))
            return []
        case "complete":
            return complete(context: context)
        case "openTheirs":
            return theirsShown.map { [.push(.record($0))] } ?? []
        case "goOn":
            return handleChooser(.ctrl("s"), context: context)
        case "save":
            let actions = save(context: context)
            closesAfterSave = true
            return actions
        case "keep":
            return [.effect(.saveDraft(envelope(at: context.now))), .pop, .status(s("form.keptAsDraft"), .info)]
        case "discard":
            return [.effect(.discardDraft(draftID)), .pop]
        default:
            return []
        }
    }

    /// Started but nothing rated or written yet: closing loses nothing, so nothing is asked.
    func untouched(_ context: AppContext) -> Bool {
        let a = assessment(state: .draft, context: context)
        return a.ratings.isEmpty && a.familyView.isEmpty && a.childVoice.isEmpty && a.summary.isEmpty
    }

    mutating func close(context: AppContext) -> [ScreenAction] {
        let s = context.strings
        guard draft.form.dirty, !untouched(context) else { return (lastDraftAt > 0 ? [.effect(.discardDraft(draftID))] : []) + [.pop] }
        let dialog = Dialog(title: s("form.close.title"), message: [s("assessment.close.message")],
                            choices: [(.char("s"), s("assessment.close.save")), (.char("k"), s("form.close.keep")),
                                      (.char("d"), s("form.close.discard")), (.escape, s("form.close.stay"))])
        return [.dialog(PendingDialog(dialog: dialog, choices: [.char("s"): DialogChoice("save"), .char("k"): DialogChoice("keep"),
                                                                .char("d"): DialogChoice("discard")]))]
    }

    // MARK: - View

    public func render(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        let s = context.strings
        buffer.fill(area, style: ctx[.normal])
        switch draft.phase {
        case .choose:
            let (top, body) = area.splitTop(1)
            buffer.put(s("assessment.choose.explain"), x: top.x + 1, y: top.y, style: ctx[.formHint], maxWidth: top.width - 2)
            draft.chooser.render(chooserSpec, into: &buffer, area: body, context: ctx)
            return
        case .summary:
            renderSummary(into: &buffer, area: area, context: context)
            return
        case .rate:
            break
        }
        // Guidance wraps (up to three lines, the Welsh is longer) rather than being cut.
        let guidance: [String] = {
            guard draft.showGuidance else { return [] }
            let text = draft.form.focus.flatMap { spec.field($0)?.hint }.map { "ⓘ " + $0 } ?? "ⓘ " + s("assessment.noGuidance")
            return Array(text.wrapped(to: max(10, area.width - 2)).prefix(3))
        }()
        let (header, rest) = area.splitTop(1 + max(1, guidance.count))
        if let summary = summary(context: context), let instrument {
            let progress = s("assessment.progress", ["rated": String(summary.rated), "total": String(summary.total)])
            let head = "\(s(draft.kind.labelKey)) · \(s.date(draft.date))"
            buffer.put(head, x: header.x + 1, y: header.y, style: ctx[.muted], maxWidth: header.width - DisplayWidth.of(progress) - 4)
            buffer.put(progress, x: header.maxX - DisplayWidth.of(progress) - 1, y: header.y, style: summary.rated == summary.total ? ctx[.statusInfo] : ctx[.title])
            if !guidance.isEmpty {
                for (i, line) in guidance.enumerated() {
                    buffer.put(line, x: header.x + 1, y: header.y + 1 + i, style: ctx[.formHint], maxWidth: header.width - 2)
                }
            } else {
                // Domain names are shortened only as far as the width needs.
                let counts = summary.domains.map { " \($0.rated)/\($0.total)" }
                let fixed = counts.reduce(0) { $0 + DisplayWidth.of($1) } + 3 * max(0, counts.count - 1)
                let each = max(6, (header.width - 2 - fixed) / max(1, counts.count))
                let perDomain = summary.domains.enumerated().map { i, line in
                    let title = instrument.domains.first { $0.id == line.domainID }?.title.text(s.language) ?? line.domainID
                    return title.clipped(to: each) + counts[i]
                }.joined(separator: " · ")
                buffer.put(perDomain, x: header.x + 1, y: header.y + 1, style: ctx[.muted], maxWidth: header.width - 2)
            }
        }
        draft.form.render(spec, into: &buffer, area: rest, context: ctx)
    }

    func renderSummary(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let s = context.strings
        guard let instrument, let summary = summary(context: context) else { return }
        var doc = Document(title: s("assessment.summary"), subtitle: s("assessment.progress", ["rated": String(summary.rated), "total": String(summary.total)]),
                           language: s.language)
        doc.add(.bars(summary.domains.map { line in
            let title = instrument.domains.first { $0.id == line.domainID }?.title.text(s.language) ?? line.domainID
            var text = s("assessment.rated", ["rated": String(line.rated), "total": String(line.total)])
            if let band = line.band { text += " · " + s(band.labelKey) }
            if let change = AssessmentSummary.changeText(line, strings: s) { text += " · " + s("assessment.sinceLast", ["change": change]) }
            return Document.Bar(label: title, fraction: line.score, band: line.band, text: text)
        }))
        let concerns = summary.domains.flatMap(\.concerns).compactMap { key -> String? in
            let itemID = key.split(separator: "@").first.map(String.init) ?? key
            let rater = key.contains("@") ? " (" + s("rater." + (key.split(separator: "@").last.map(String.init) ?? "")) + ")" : ""
            return instrument.items.first { $0.id == itemID }.map { $0.text.text(s.language) + rater }
        }
        doc.list(s("assessment.concerns"), concerns)
        doc.list(s("assessment.movedHeading"), summary.movedLines(instrument, strings: s))
        let missing = summary.domainsWithoutGoals(instrument: instrument, plans: Array(file.plans.values))
        if !missing.isEmpty {
            let names = missing.compactMap { id in instrument.domains.first { $0.id == id }?.title.text(s.language) }
            doc.add(.callout(title: s("assessment.noGoal.title"), lines: [s("assessment.noGoal", ["domains": names.joined(separator: ", ")])]))
        }
        if previous == nil { doc.add(.note(s("assessment.firstTime"))) }
        let ctx = context.render
        for (i, line) in DocumentView.lines(doc, width: area.width - 4).prefix(area.height).enumerated() {
            var x = area.x + 2
            for (text, role) in line.segments { x += buffer.put(text, x: x, y: area.y + i, style: ctx[role], maxWidth: area.maxX - x - 1) }
        }
        buffer.cursor = nil
    }
}
