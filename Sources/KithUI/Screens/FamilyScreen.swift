import KithCore

/// One family on one screen: who they are, who helps, consent, risks, what is due and a
/// timeline of every record. Keyboard only: sections with ← → (or Tab), rows with ↑ ↓.
public struct FamilyScreen: ScreenModel {
    public private(set) var file: CaseFile
    public internal(set) var section: Section = .household
    var tables: [Section: TableView] = [:]
    public private(set) var timeline: [TimelineEntry] = []
    public private(set) var reminders: [Reminder] = []
    /// The timeline lists printouts too (off: a dozen printouts would bury the records).
    public private(set) var showPrintouts = false
    /// The timeline shows only records of this kind (`F` steps through the kinds it has).
    public private(set) var timelineKind: RecordKind?

    public enum Section: String, CaseIterable, Sendable {
        case household, network, professionals, consent, risks, due, timeline
    }

    public init(file: CaseFile, context: AppContext) {
        self.file = file
        update(file, context: context)
    }

    public mutating func familyChanged(_ file: CaseFile, row: CaseloadRow?, context: AppContext) {
        if file.family.id == self.file.family.id { update(file, context: context) }
    }

    mutating func update(_ file: CaseFile, context: AppContext) {
        self.file = file
        timeline = TimelineEntry.entries(of: file, context: context).filter { (showPrintouts || !$0.isOutput) && (timelineKind == nil || $0.ref.kind == timelineKind) }
        reminders = file.reminders
        for section in Section.allCases {
            var table = tables[section] ?? TableView()
            table.setCount(count(section))
            tables[section] = table
        }
    }

    func count(_ section: Section) -> Int {
        switch section {
        case .household: file.people.count
        case .network: file.network.count
        case .professionals: file.professionals.count
        case .consent: file.consents.count
        case .risks: file.riskFactors.count
        case .due: reminders.count
        case .timeline: timeline.count
        }
    }

    public static let keys = Keymap(titleKey: "family.title", [
        Binding([.enter], .open, footer: true),
        Binding([.right, .tab], .nextSection, footer: true),
        Binding([.left, .backTab], .previousSection),
        Binding([.char("n")], .addNote, footer: true),
        Binding([.char("a")], .addMember, footer: true),
        Binding([.char("e")], .edit, footer: true),
        Binding([.char("A")], .newAssessment),
        Binding([.char("p")], .newPlan),
        Binding([.char("S")], .newSafetyPlan),
        Binding([.char("g")], .newMeeting),
        Binding([.char("r")], .newReview),
        Binding([.char("t")], .familyActions),
        Binding([.char("L")], .changeLevel),
        Binding([.char("W")], .changeLead),
        Binding([.char("f")], .flag),
        Binding([.char("R")], .resolveFlag),
        Binding([.char("P")], .printRecord),
        Binding([.char("v")], .togglePrintouts),
        Binding([.char("C")], .closeFamily),
        Binding([.char("X")], .showConflicts),
        Binding([.char("o")], .signOff),
        Binding([.char("u")], .recordSupervision),
        Binding([.char("K")], .chronology),
        Binding([.char("F")], .filterTimeline),
        Binding([.char("I")], .referral),
        Binding([.char("T")], .searchWritten),
        Binding([.escape], .back, footer: true),
    ] + Keymap.listMoves + Keymap.helpAndQuit)

    public var keymap: Keymap { FamilyScreen.keys }

    public func title(_ context: AppContext) -> String { displayName(context) }

    func displayName(_ context: AppContext) -> String { file.family.displayName }

    static func bodyRows(_ context: AppContext) -> Int { max(1, context.screenArea.height - 5) }

    var table: TableView { tables[section] ?? TableView() }

    // MARK: - Update

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        guard let command = keymap.command(for: key) else { return [] }
        return run(command, context: context)
    }

    func form(_ purpose: FormPurpose, _ context: AppContext) -> ScreenAction {
        return .push(.form(FormScreen(purpose: purpose, file: file, context: context)))
    }

    public mutating func run(_ command: Command, context: AppContext) -> [ScreenAction] {
        let id = file.family.id
        let policy = context.session?.policy
        let s = context.strings
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
            var t = table
            _ = t.handle(command, visibleRows: FamilyScreen.bodyRows(context))
            tables[section] = t
        case .nextSection:
            section = Section.allCases[(Section.allCases.firstIndex(of: section)! + 1) % Section.allCases.count]
        case .previousSection:
            section = Section.allCases[(Section.allCases.firstIndex(of: section)! + Section.allCases.count - 1) % Section.allCases.count]
        case .back:
            return [.pop]
        case .open:
            return openSelected(context)
        case .addNote:
            return [form(.contactNote(id), context)]
        case .addMember:
            switch section {
            case .household: return [form(.person(id, nil), context)]
            case .network: return [form(.network(id, nil), context)]
            case .professionals: return [form(.professional(id, nil), context)]
            case .consent: return [form(.consent(id, nil), context)]
            case .risks: return [form(.riskFactor(id, nil), context)]
            case .due: return [.status(s("family.nothingToAdd"), .info)]
            // Files are listed on the timeline: adding there attaches one.
            case .timeline: return [form(.attach(id), context)]
            }
        case .edit:
            if let action = editSelected(context) { return [action] }
            return [form(.editFamily(id), context)]
        case .newAssessment:
            return [.push(.assessment(AssessmentScreen(choosingFor: file, context: context)))]
        case .newPlan:
            return [form(.plan(id, nil), context)]
        case .newSafetyPlan:
            if let current = file.currentSafetyPlan {
                if current.status == .draft { return [form(.safetyPlan(id, current.id, revising: nil), context)] }
                return [form(.safetyPlan(id, nil, revising: current.id), context)]
            }
            if let draft = file.safetyPlans.values.first(where: { $0.status == .draft }) {
                return [form(.safetyPlan(id, draft.id, revising: nil), context)]
            }
            return [form(.safetyPlan(id, nil, revising: nil), context)]
        case .newMeeting:
            return [form(.meeting(id), context)]
        case .newReview:
            return [form(.review(id), context)]
        case .familyActions:
            return [.push(.actions(ActionsScreen(scope: .family(file))))]
        case .changeLevel:
            return [form(.serviceLevel(id), context)]
        case .changeLead:
            guard policy?.canChangeLead(file.family) == true else { return [.status(s("family.lead.onlyTeamLead"), .error)] }
            return [form(.lead(id), context)]
        case .flag:
            guard policy?.canFlag(file.family) == true else { return [.status(s("family.flag.onlyTeamLead"), .error)] }
            let target = section == .timeline && timeline.indices.contains(table.selected) ? timeline[table.selected].ref : file.family.ref
            return [form(.flag(id, target), context)]
        case .showConflicts:
            guard !file.conflicts.isEmpty else { return [.status(context.strings("conflicts.none"), .info)] }
            return [.push(.conflicts(ConflictScreen(file: file)))]
        case .resolveFlag:
            let flag: Flag? = {
                if section == .timeline, timeline.indices.contains(table.selected), timeline[table.selected].ref.kind == .flag {
                    return file.flags[Flag.ID(timeline[table.selected].ref.id)]
                }
                return file.openFlags.first
            }()
            guard let flag, flag.isOpen else { return [.status(s("family.flag.noneOpen"), .info)] }
            return [form(.resolveFlag(id, flag.id), context)]
        case .printRecord:
            let printable: EntityRef? = {
                if section == .timeline, timeline.indices.contains(table.selected) {
                    let ref = timeline[table.selected].ref
                    if [.safetyPlan, .plan, .meeting].contains(ref.kind) { return ref }
                }
                return file.currentSafetyPlan?.ref ?? file.ordered(file.plans).last?.ref
            }()
            guard let printable else { return [.status(s("print.nothing"), .info)] }
            return [.push(.record(RecordScreen(file: file, ref: printable, context: context))), .status(s("print.choose"), .info)]
        case .togglePrintouts:
            showPrintouts.toggle()
            update(file, context: context)
            section = .timeline
            return [.status(s(showPrintouts ? "timeline.printoutsShown" : "timeline.printoutsHidden"), .info)]
        case .closeFamily:
            guard file.family.status != .closed else { return [.status(s("family.alreadyClosed"), .info)] }
            guard policy?.canClose(file.family) == true else { return [SignOffFlow.action(closing: file, context: context)] }
            return [form(.closure(id), context)]
        case .referral:
            // A referral waiting here is decided; otherwise a new one is taken for the family.
            if let waiting = file.pendingReferral { return [form(.decideReferral(id, waiting.id), context)] }
            return [form(.referral(id), context)]
        case .chronology:
            return [.push(.record(RecordScreen(file: file, ref: file.familyRef, context: context)))]
        case .searchWritten:
            return [.push(.searchWritten(TextSearchScreen(family: (file.family.id, file.family.displayName), context: context)))]
        case .filterTimeline:
            // No filter → each kind the timeline has, in a fixed order → no filter.
            let present = Set(TimelineEntry.entries(of: file, context: context).filter { !$0.isOutput }.map(\.ref.kind))
            let kinds = RecordKind.allCases.filter(present.contains)
            timelineKind = CaseloadScreen.next(after: timelineKind, in: [nil] + kinds)
            update(file, context: context)
            section = .timeline
            var t = table
            t.selected = 0
            tables[.timeline] = t
            return [.status(timelineKind.map { s("timeline.only", ["kind": s($0.labelKey)]) } ?? s("timeline.everything"), .info)]
        case .recordSupervision:
            guard policy?.canSupervise(file.family) == true else { return [.status(s("supervision.onlyTeamLead"), .error)] }
            return [form(.supervision(id), context)]
        case .signOff:
            guard section == .timeline, timeline.indices.contains(table.selected) else { return [.status(s("signOff.chooseRecord"), .info)] }
            return [SignOffFlow.action(for: timeline[table.selected].ref, file: file, context: context)]
        case .help:
            return [.showHelp]
        case .quit:
            return [.requestQuit]
        default:
            break
        }
        return []
    }

    func editSelected(_ context: AppContext) -> ScreenAction? {
        let id = file.family.id
        let index = table.selected
        switch section {
        case .household:
            let people = file.householdMembers
            guard people.indices.contains(index) else { return nil }
            return form(.person(id, people[index].id), context)
        case .network:
            let list = file.ordered(file.network)
            guard list.indices.contains(index) else { return nil }
            return form(.network(id, list[index].id), context)
        case .professionals:
            let list = file.ordered(file.professionals)
            guard list.indices.contains(index) else { return nil }
            return form(.professional(id, list[index].id), context)
        case .consent:
            let list = file.ordered(file.consents)
            guard list.indices.contains(index) else { return nil }
            return form(.consent(id, list[index].id), context)
        case .risks:
            let list = file.ordered(file.riskFactors)
            guard list.indices.contains(index) else { return nil }
            return form(.riskFactor(id, list[index].id), context)
        case .due, .timeline:
            return nil
        }
    }

    func openSelected(_ context: AppContext) -> [ScreenAction] {
        if let edit = editSelected(context) { return [edit] }
        let ref: EntityRef
        switch section {
        case .due:
            guard reminders.indices.contains(table.selected) else { return [] }
            ref = reminders[table.selected].source
        case .timeline:
            guard timeline.indices.contains(table.selected) else { return [] }
            ref = timeline[table.selected].ref
        default:
            return []
        }
        if ref.kind == .assessment, let assessment = file.assessments[Assessment.ID(ref.id)], !assessment.isComplete {
            return [.push(.assessment(AssessmentScreen(continuing: assessment, file: file, context: context)))]
        }
        return [.push(.record(RecordScreen(file: file, ref: ref, context: context)))]
    }

    // MARK: - View

    public func render(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        let s = context.strings
        let family = file.family
        buffer.fill(area, style: ctx[.normal])
        var y = area.y
        // Who they are
        var line1 = "\(family.displayName)  \(family.reference) · \(s(family.serviceLevel.labelKey)) · \(s(family.status.labelKey)) · \(s("family.risk", ["level": s(family.riskLevel.labelKey)]))"
        if family.sensitive { line1 += " · " + s("family.sensitive") }
        buffer.put(line1, x: area.x + 1, y: y, style: ctx[.title], maxWidth: area.width - 2)
        y += 1
        var language = s(family.language.labelKey)
        if family.language == .other, let other = family.otherLanguage { language = other }
        var parts = [s("family.lead", ["name": context.session?.name(family.lead) ?? ""]), s("family.language", ["language": language])]
        if let offer = family.activeOffer {
            parts.append(s("family.activeOffer.made", ["date": s.date(offer.on)]))
        } else {
            parts.append(s("family.activeOffer.notMade"))
        }
        if family.interpreterNeeded { parts.append(s("family.interpreter")) }
        if !family.coworkers.isEmpty {
            parts.append(s("family.coworkers", ["names": family.coworkers.map { context.session?.name($0) ?? $0.raw }.joined(separator: ", ")]))
        }
        buffer.put(parts.joined(separator: " · "), x: area.x + 1, y: y, style: ctx[.normal], maxWidth: area.width - 2)
        y += 1
        // What is due, and flags
        var dueParts: [String] = []
        let overdue = reminders.filter { $0.due < context.today }
        if let next = reminders.first {
            let urgency = next.urgency(today: context.today)
            let marker = urgency == .overdue ? "! " : urgency == .soon ? "› " : ""
            dueParts.append(marker + s("family.nextDue", ["what": s(next.kind.labelKey), "date": s.date(next.due), "urgency": s(urgency.labelKey)]))
        } else {
            dueParts.append(s("family.nothingDue"))
        }
        if overdue.count > 1 { dueParts.append(s("family.overdueCount", ["n": String(overdue.count)])) }
        let flags = file.openFlags.count
        if flags > 0 { dueParts.append("⚑ " + s("family.openFlags", ["n": String(flags)])) }
        let conflicts = file.conflicts.count
        if conflicts > 0 { dueParts.append("≠ " + s("family.conflicts", ["n": String(conflicts)])) }
        buffer.put(dueParts.joined(separator: " · "), x: area.x + 1, y: y, style: overdue.isEmpty ? ctx[.normal] : ctx[.badgeOverdue], maxWidth: area.width - 2)
        y += 1
        // Section tabs; when they do not all fit, the selected one is always shown.
        let tabs = Section.allCases.map { candidate -> String in
            var label = "\(s("family.section.\(candidate.rawValue)")) \(count(candidate))"
            if candidate == .timeline, let kind = timelineKind { label += " · " + s(kind.labelKey) }
            return candidate == section ? "[\(label)]" : " \(label) "
        }
        let selectedIndex = Section.allCases.firstIndex(of: section)!
        var first = 0
        while first < selectedIndex && tabs[first...selectedIndex].reduce(0, { $0 + DisplayWidth.of($1) }) > area.width - 2 { first += 1 }
        var x = area.x + 1
        if first > 0 { x += buffer.put("‹", x: x, y: y, style: ctx[.muted]) }
        for (i, candidate) in Section.allCases.enumerated() where i >= first {
            // A tab that doesn't fit whole is not cut: "›" says there are more.
            if x + DisplayWidth.of(tabs[i]) > area.maxX - 1 && i > selectedIndex {
                buffer.put("›", x: min(x, area.maxX - 2), y: y, style: ctx[.muted])
                break
            }
            x += buffer.put(tabs[i], x: x, y: y, style: candidate == section ? ctx[.sectionFocused] : ctx[.section], maxWidth: area.maxX - x)
        }
        y += 1
        let body = Rect(x: area.x, y: y, width: area.width, height: area.maxY - y)
        renderSection(into: &buffer, area: body, context: context)
        buffer.cursor = nil
    }

    private func renderSection(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        let s = context.strings
        let today = context.today
        let empty = s("family.section.empty.\(section.rawValue)")
        switch section {
        case .household:
            let people = file.householdMembers
            table.render(into: &buffer, area: area, columns: [
                .init(s("column.name"), width: 16, flex: 2), .init(s("column.role"), width: 8, fit: true), .init(s("column.age"), width: 5, alignRight: true, fit: true),
                .init(s("column.born"), width: 11, fit: true), .init(s("column.school"), width: 10, flex: 1), .init(s("column.livesHere"), width: 4, fit: true),
                .init(s("column.needs"), width: 8, flex: 1),
            ], context: ctx, emptyText: empty) { i in
                let p = people[i]
                return [.init(p.fullName + (p.aliases.isEmpty ? "" : " (\(p.aliases.joined(separator: ", ")))")), .init(s(p.role.labelKey)),
                        .init(s.age(born: p.dateOfBirth, estimated: p.estimatedAge, today: today)),
                        .init(p.dateOfBirth.map(s.date) ?? "—"), .init(p.school ?? ""), .init(p.livesInHousehold ? "✓" : "—"),
                        .init([p.disability, p.communicationNeeds].compactMap { $0 }.joined(separator: "; "))]
            }
        case .network:
            let list = file.ordered(file.network)
            table.render(into: &buffer, area: area, columns: [
                .init(s("column.name"), width: 16, flex: 2), .init(s("column.relationship"), width: 12, fit: true), .init(s("column.phone"), width: 14),
                .init(s("column.roleInPlans"), width: 14, flex: 2),
            ], context: ctx, emptyText: empty) { i in
                let m = list[i]
                return [.init(m.name), .init(s(m.relationship.labelKey)), .init(m.phone ?? ""), .init(m.roleInPlans ?? "")]
            }
        case .professionals:
            let list = file.ordered(file.professionals)
            table.render(into: &buffer, area: area, columns: [
                .init(s("column.name"), width: 16, flex: 1), .init(s("column.agency"), width: 16, flex: 1), .init(s("column.role"), width: 14, flex: 1),
                .init(s("column.phone"), width: 14),
            ], context: ctx, emptyText: empty) { i in
                let p = list[i]
                return [.init(p.name), .init(p.agency), .init(p.role), .init(p.phone ?? "")]
            }
        case .consent:
            let list = file.ordered(file.consents)
            table.render(into: &buffer, area: area, columns: [
                .init(s("column.scope"), width: 18, flex: 3), .init(s("column.givenBy"), width: 14, flex: 1), .init(s("column.date"), width: 11, fit: true),
                .init(s("column.method"), width: 10, fit: true), .init(s("column.state"), width: 16, fit: true),
            ], context: ctx, emptyText: empty) { i in
                let c = list[i]
                let standing = c.standing(on: context.today)
                let state: String = switch standing {
                case .withdrawn: s("consent.withdrawn", ["date": s.date(c.withdrawnOn ?? c.givenOn)])
                case .lapsed, .lapsesSoon: s(standing.labelKey, ["date": s.date(c.until ?? c.givenOn)])
                case .inForce: c.until.map { s("consent.until", ["date": s.date($0)]) } ?? s("consent.active")
                case .notYet: s(standing.labelKey)
                }
                let scope = c.agencyList.isEmpty ? s(c.scope.labelKey) : "\(s(c.scope.labelKey)): \(c.agencyList.joined(separator: ", "))"
                return [.init(scope), .init(file.giver(of: c)), .init(s.date(c.givenOn)), .init(s(c.method.labelKey)),
                        .init(state, standing == .inForce ? nil : .badgeSoon)]
            }
        case .risks:
            let list = file.ordered(file.riskFactors)
            table.render(into: &buffer, area: area, columns: [
                .init(s("column.riskFactor"), width: 24, flex: 2), .init(s("column.status"), width: 9, fit: true), .init(s("column.date"), width: 11, fit: true),
                .init(s("column.evidence"), width: 14, flex: 2),
            ], context: ctx, emptyText: empty) { i in
                let r = list[i]
                let name = RiskFactor(rawValue: r.code).map { s($0.labelKey) } ?? r.code
                return [.init(name), .init(s(r.status.labelKey), r.status == .present ? .badgeSoon : nil), .init(s.date(r.observedOn)), .init(r.evidence)]
            }
        case .due:
            table.render(into: &buffer, area: area, columns: [
                .init(s("column.due"), width: 12, fit: true), .init(s("column.urgency"), width: 11, fit: true), .init(s("column.what"), width: 16, flex: 1),
                .init(s("column.detail"), width: 20, flex: 2),
            ], context: ctx, emptyText: empty) { i in
                let r = reminders[i]
                let urgency = r.urgency(today: today)
                let marker = urgency == .overdue ? "! " : urgency == .soon ? "› " : "  "
                let role: Role? = urgency == .overdue ? .badgeOverdue : urgency == .soon ? .badgeSoon : nil
                return [.init(s.date(r.due)), .init(marker + s(urgency.labelKey), role), .init(s(r.kind.labelKey)), .init(r.detail)]
            }
        case .timeline:
            table.render(into: &buffer, area: area, columns: [
                .init(s("column.date"), width: 11, fit: true), .init(s("column.kind"), width: 16, fit: true), .init(s("column.summary"), width: 20, flex: 3),
                .init(s("column.by"), width: 10, flex: 1),
            ], context: ctx, emptyText: empty) { i in
                let e = timeline[i]
                return [.init(s.date(e.day)), .init((e.flagged ? "⚑ " : "") + e.kind, e.flagged ? .badgeFlag : nil), .init(e.summary),
                        .init(context.session?.name(e.author) ?? "")]
            }
        }
    }
}

/// One line of a family's timeline: a record, when, what kind, a summary and who made it.
public struct TimelineEntry: Hashable, Sendable {
    public var day: Day
    public var ref: EntityRef
    public var kind: String
    public var summary: String
    public var author: User.ID?
    /// The record has an open flag on it.
    public var flagged: Bool
    /// When the record was made (the clock reading orders records made the same day).
    var order: HLC?
    /// A printout or export of a record, not a record (hidden unless asked for).
    var isOutput = false

    static func entries(of file: CaseFile, context: AppContext) -> [TimelineEntry] {
        let s = context.strings
        let flaggedRefs = Set(file.openFlags.map(\.target))
        var result: [TimelineEntry] = []
        func add(_ day: Day, _ ref: EntityRef, _ kind: String, _ summary: String) {
            let meta = file.meta[ref]
            result.append(TimelineEntry(day: day, ref: ref, kind: kind, summary: summary.replacingOccurrences(of: "\n", with: " "),
                                        author: meta?.createdBy, flagged: flaggedRefs.contains(ref), order: meta?.createdAt))
        }
        for a in file.assessments.values {
            let title = context.instruments.instrument(id: a.instrumentID, version: a.instrumentVersion)?.title.text(s.language) ?? a.instrumentID
            add(a.date, a.ref, s("kind.assessment"), "\(title) · \(s(a.assessmentKind.labelKey)) · \(s(a.state.labelKey))")
        }
        for p in file.plans.values { add(p.createdOn, p.ref, s("kind.plan"), "\(p.title) · \(s("timeline.goals", ["n": String(p.goals.count)])) · \(s(p.status.labelKey))") }
        for p in file.safetyPlans.values {
            add(p.createdOn, p.ref, s("kind.safetyPlan"), s("timeline.safetyPlan", ["version": String(p.version), "status": s(p.status.labelKey)])
                + (p.immediate ? " · " + s("safety.immediate") : ""))
        }
        for m in file.meetings.values { add(m.date, m.ref, s("kind.meeting"), [m.venue, s(m.agreement.labelKey)].filter { !$0.isEmpty }.joined(separator: " · ")) }
        for n in file.notes.values { add(n.date, n.ref, s(n.contactKind.labelKey), n.text) }
        for r in file.reviews.values {
            add(r.date, r.ref, s("kind.review"), s(r.decision.labelKey) + (r.nextReviewDate.map { " · " + s("timeline.next", ["date": s.date($0)]) } ?? ""))
        }
        for c in file.closures.values { add(c.date, c.ref, s("kind.closure"), s(c.reason.labelKey) + (c.note.isEmpty ? "" : " · \(c.note)")) }
        for f in file.flags.values {
            add(f.raisedOn, f.ref, s("kind.flag"), (f.isOpen ? s("flag.open") : s("flag.resolved")) + " · " + f.note)
        }
        for a in file.addenda.values { add(a.date, a.ref, s("kind.addendum"), s("timeline.addendumTo", ["kind": s(a.target.kind.labelKey)]) + ": " + a.text) }
        for r in file.referrals.values {
            add(r.receivedOn, r.ref, s("kind.referral"), s("timeline.referral", ["source": s(r.source.labelKey), "decision": s(r.decision.labelKey)]) + " · " + r.reason)
        }
        for v in file.supervisions.values {
            add(v.date, v.ref, s("kind.supervision"), s("timeline.supervision", ["name": context.session?.name(v.worker) ?? "", "n": String(v.actions.count)])
                + (v.decisions.isEmpty ? "" : " · " + v.decisions))
        }
        for a in file.attachments.values {
            let what = "\(a.title) · \(s(a.mediaType.labelKey)), \(s.bytes(a.size))"
            add(a.addedOn, a.ref, s("kind.attachment"), a.isRemoved ? s("attach.removedSummary", ["what": what, "reason": a.removalReason ?? ""]) : what)
        }
        for o in file.signOffs.values {
            let what = o.proposedClosure != nil ? s("signOff.closureProposed") : s(o.target.kind.labelKey)
            add(o.decidedOn ?? o.requestedOn, o.ref, s("kind.signOff"), "\(what) · \(s(o.state.labelKey))" + (o.comment.isEmpty ? "" : " · " + o.comment))
        }
        for event in file.events where event.action == .print || event.action == .export {
            // What went to another agency stays in sight, printouts shown or not.
            if case .string(let agency)? = event.changes.first(where: { $0.field == "sharedWith" })?.new {
                result.append(TimelineEntry(day: event.hlc.day, ref: event.entity, kind: s("timeline.shared"),
                                            summary: s("timeline.sharedWhat", ["kind": s(event.entity.kind.labelKey), "agency": agency]), author: event.author,
                                            flagged: false, order: event.hlc, isOutput: false))
                continue
            }
            result.append(TimelineEntry(day: event.hlc.day, ref: event.entity, kind: s("timeline.printed"),
                                        summary: s("timeline.printedWhat", ["kind": s(event.entity.kind.labelKey)]), author: event.author,
                                        flagged: false, order: event.hlc, isOutput: true))
        }
        return result.sorted { a, b in
            if a.day != b.day { return a.day > b.day }
            switch (a.order, b.order) {
            case let (x?, y?): return x > y
            default: return a.ref.id > b.ref.id
            }
        }
    }
}
