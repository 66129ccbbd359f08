/// Printouts that go home with the family: their plan in plain words and their language,
/// the names of the people in their network, what to do if things go wrong, who to call.
/// Dates are written in full; a review date already past says so; actions say whether
/// they are done or overdue.
public struct FamilyPrintout: Sendable {
    public let strings: Strings
    public let printedOn: Day
    /// Who printed it (the worker's display name).
    public let printedBy: String
    public let contacts: Contacts
    /// For assessment summaries (instrument titles and domains).
    public let instruments: InstrumentLibrary
    /// The agency it goes to, and the consent that lets it: said at the foot.
    public var sharing: Sharing?

    public struct Sharing: Sendable, Hashable {
        public var agency: String
        public var consentGivenBy: String
        public var consentGivenOn: Day

        public init(agency: String, consentGivenBy: String, consentGivenOn: Day) {
            self.agency = agency
            self.consentGivenBy = consentGivenBy
            self.consentGivenOn = consentGivenOn
        }
    }

    /// Who the family can call besides their network: their worker, the team's office,
    /// out of hours.
    public struct Contacts: Sendable, Hashable {
        public var worker: String
        public var workerPhone: String?
        public var team: String
        public var teamPhone: String?
        public var outOfHours: String?

        public init(worker: String, workerPhone: String? = nil, team: String = "", teamPhone: String? = nil, outOfHours: String? = nil) {
            self.worker = worker
            self.workerPhone = workerPhone
            self.team = team
            self.teamPhone = teamPhone
            self.outOfHours = outOfHours
        }
    }

    public init(strings: Strings, printedOn: Day, printedBy: String, contacts: Contacts, instruments: InstrumentLibrary = InstrumentLibrary()) {
        self.strings = strings
        self.printedOn = printedOn
        self.printedBy = printedBy
        self.contacts = contacts
        self.instruments = instruments
    }

    /// Kinds a family can be given.
    public static let printable: Set<RecordKind> = [.safetyPlan, .plan, .meeting, .assessment, .family]

    /// The document for a printable record, or nil when the record cannot be printed.
    public func document(for ref: EntityRef, in file: CaseFile) -> Document? {
        switch ref.kind {
        case .safetyPlan: file.safetyPlans[SafetyPlan.ID(ref.id)].map { safetyPlan($0, file) }
        case .plan: file.plans[Plan.ID(ref.id)].map { familyPlan($0, file) }
        case .meeting: file.meetings[FamilyGroupMeeting.ID(ref.id)].map { meetingPlan($0, file) }
        case .assessment: file.assessments[Assessment.ID(ref.id)].map { assessmentSummary($0, file) }
        case .family where ref == file.familyRef: chronology(file)
        default: nil
        }
    }

    /// A new document: "this is private" first, where nobody misses it.
    private func start(_ title: String, _ subtitle: String, family: String) -> Document {
        var doc = Document(title: title, subtitle: subtitle, language: strings.language)
        doc.running = "\(title) · \(family)"
        doc.pageLabel = strings("printout.pageOf")
        doc.add(.callout(title: strings("printout.private.title"), lines: [strings("printout.private")]))
        return doc
    }

    private func footer(_ doc: inout Document) {
        doc.add(.note(strings("printout.footer", ["date": strings.longDate(printedOn), "name": printedBy])))
        if let sharing {
            doc.add(.note(strings("printout.sharedWith", ["agency": sharing.agency, "name": sharing.consentGivenBy,
                                                          "date": strings.longDate(sharing.consentGivenOn)])))
        }
    }

    private func whoToCall(_ people: [(String, String)]) -> Document.Block {
        let s = strings
        var lines = people.filter { !$0.1.isEmpty }.map { s("printout.callLine", ["name": $0.0, "phone": $0.1]) }
        if !contacts.worker.isEmpty {
            if let phone = contacts.workerPhone {
                lines.append(s("printout.callWorkerPhone", ["name": contacts.worker, "phone": phone]))
            } else if let phone = contacts.teamPhone {
                lines.append(s("printout.callWorkerTeam", ["name": contacts.worker, "team": contacts.team, "phone": phone]))
            } else {
                lines.append(s("printout.callWorker", ["name": contacts.worker]))
            }
        }
        if let phone = contacts.teamPhone, contacts.workerPhone != nil {
            lines.append(s("printout.callTeam", ["team": contacts.team, "phone": phone]))
        }
        if let phone = contacts.outOfHours { lines.append(s("printout.outOfHours", ["phone": phone])) }
        lines.append(s("printout.emergency"))
        return .callout(title: s("printout.whoToCall"), lines: lines)
    }

    /// "We will look at this again on…", or, once the day has passed, that it was due then.
    private func lookAgain(_ day: Day) -> Document.Field {
        day < printedOn ? .init(strings("printout.lookAgainWas"), strings("printout.lookAgainPast", ["date": strings.longDate(day)]))
            : .init(strings("printout.lookAgain"), strings.longDate(day))
    }

    /// Text from the record inside a sentence the template ends: no doubled full stop.
    private func inner(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while let last = t.last, ".;:,".contains(last) { t.removeLast() }
        return t
    }

    public func safetyPlan(_ plan: SafetyPlan, _ file: CaseFile) -> Document {
        let s = strings
        var doc = start(s("printout.safety.title"),
                        s("printout.subtitle", ["family": file.family.displayName, "date": s.longDate(plan.createdOn), "version": String(plan.version)]),
                        family: file.family.displayName)
        if plan.status == .superseded { doc.add(.callout(title: s("printout.superseded.title"), lines: [s("printout.superseded")])) }
        if !plan.worries.isEmpty {
            doc.add(.heading(s("printout.safety.worries")))
            doc.add(.list(plan.worries.map { w in
                var line = s("printout.safety.worry", ["who": w.who, "about": inner(w.about)])
                if !w.ifNothingChanges.isEmpty { line += " " + s("printout.safety.ifNothing", ["what": inner(w.ifNothingChanges)]) }
                return line
            }))
            doc.list(s("printout.safety.goals"), plan.worries.map(\.safetyGoal))
        }
        doc.table(s("printout.safety.network"), headers: [s("printout.name"), s("printout.whatTheyDo"), s("printout.phone"), s("printout.agreed")],
                  rows: plan.network.map { [$0.name, $0.role, $0.phone, $0.agreed ? s("form.yes") : s("printout.notYet")] })
        doc.list(s("printout.safety.rules"), plan.rules)
        doc.list(s("printout.safety.triggers"), plan.triggers)
        doc.list(s("printout.safety.bottomLines"), plan.bottomLines)
        if !plan.contingencies.isEmpty {
            doc.add(.callout(title: s("printout.ifWrong"), lines: plan.contingencies.map {
                s("printout.contingency", ["if": inner($0.ifWhat), "then": inner($0.then), "who": $0.who.isEmpty ? s("printout.everyone") : inner($0.who)])
            }))
        }
        // Only people who agreed to the plan are named as the ones to call.
        doc.add(whoToCall(plan.network.filter(\.agreed).map { ($0.name, $0.phone) }))
        if !plan.childView.isEmpty {
            let child = file.children.first?.givenName
            doc.section(child.map { s("printout.childSays", ["name": $0]) } ?? s("printout.childrenSay"), plan.childView)
        }
        if !plan.judgements.isEmpty {
            doc.add(.heading(s("printout.safety.howSafe")))
            doc.add(.list(plan.judgements.map { s("printout.judgement", ["who": $0.who, "score": String($0.score), "reason": $0.reason]) }))
        }
        var agreed: [Document.Field] = []
        if !plan.agreedBy.isEmpty { agreed.append(.init(s("printout.agreedBy"), plan.agreedBy.joined(separator: ", "))) }
        if let on = plan.agreedOn { agreed.append(.init(s("printout.agreedOn"), s.longDate(on))) }
        if let review = plan.effectiveReviewDate { agreed.append(lookAgain(review)) }
        if !agreed.isEmpty {
            doc.add(.heading(s("printout.ourAgreement")))
            doc.add(.fields(agreed))
        }
        footer(&doc)
        return doc
    }

    /// Actions with whether each is done or overdue, as of the day printed.
    private func actionTable(_ actions: [PlanAction], source: EntityRef, _ file: CaseFile) -> Document.Block {
        let s = strings
        return .table(headers: [s("printout.what"), s("printout.who"), s("printout.byWhen"), s("printout.whoChecks"), s("printout.status")],
                      rows: actions.map { action in
                          let status = ActionItem(source: source, action: action, completion: file.isActionDone(source: source, actionID: action.id))
                              .status(today: printedOn)
                          let state = switch status {
                          case .done: s("printout.action.done")
                          case .overdue: s("printout.action.overdue")
                          case .open: ""
                          }
                          return [action.what, action.who, action.byWhen.map(s.longDate) ?? "", action.whoChecks, state]
                      })
    }

    public func familyPlan(_ plan: Plan, _ file: CaseFile) -> Document {
        let s = strings
        var doc = start(s("printout.plan.title"), s("printout.plan.subtitle", ["family": file.family.displayName, "date": s.longDate(plan.createdOn)]),
                        family: file.family.displayName)
        for (n, goal) in plan.goals.enumerated() where goal.status != .dropped {
            doc.add(.heading(s("printout.goal", ["n": String(n + 1)])))
            doc.add(.paragraph(goal.text))
            if goal.status == .achieved { doc.add(.note(s("printout.goalAchieved"))) }
            if !goal.actions.isEmpty { doc.add(actionTable(goal.actions, source: plan.ref, file)) }
        }
        if let review = plan.reviewDate { doc.add(.fields([lookAgain(review)])) }
        doc.add(whoToCall(file.ordered(file.network).compactMap { m in m.phone.map { (m.name, $0) } }))
        footer(&doc)
        return doc
    }

    public func meetingPlan(_ meeting: FamilyGroupMeeting, _ file: CaseFile) -> Document {
        let s = strings
        var doc = start(s("printout.meeting.title"),
                        s("printout.meeting.subtitle", ["family": file.family.displayName, "date": s.longDate(meeting.date), "venue": meeting.venue]),
                        family: file.family.displayName)
        let came = meeting.attendees.filter { $0.attendance == .attended }.map(\.name)
        if !came.isEmpty { doc.add(.fields([.init(s("printout.whoCame"), came.joined(separator: ", "))])) }
        doc.section(s("printout.meeting.strengths"), meeting.strengths)
        doc.section(s("printout.meeting.worries"), meeting.worries)
        doc.section(s("printout.meeting.bottomLines"), meeting.bottomLines)
        if !meeting.familyPlan.isEmpty {
            doc.add(.heading(s("printout.meeting.plan")))
            doc.add(actionTable(meeting.familyPlan, source: meeting.ref, file))
        }
        doc.add(.fields([
            .init(s("printout.meeting.agreement"), s(meeting.agreement.labelKey) + (meeting.agreementNote.isEmpty ? "" : " — \(meeting.agreementNote)")),
            .init(s("printout.meeting.planLead"), meeting.planLead),
        ]))
        if !meeting.contingency.isEmpty { doc.add(.callout(title: s("printout.ifWrong"), lines: [meeting.contingency])) }
        doc.section(s("printout.meeting.checking"), meeting.monitoring)
        if let review = meeting.reviewDate { doc.add(.fields([lookAgain(review)])) }
        doc.add(whoToCall(file.ordered(file.network).compactMap { m in m.phone.map { (m.name, $0) } }))
        if !meeting.distribution.isEmpty { doc.add(.note(s("printout.copies", ["list": meeting.distribution.joined(separator: ", ")]))) }
        footer(&doc)
        return doc
    }

    /// What the assessment found, for the family: how each area is going (with the
    /// change since last time), their own words, the summary. No evidence notes.
    /// The chronology, printed for the file or another professional (the family's name
    /// on every page, "this is private" first).
    public func chronology(_ file: CaseFile) -> Document {
        let s = strings
        let chronology = Chronology(file, strings: s, instruments: instruments)
        var doc = start(s("chronology.title", ["family": file.family.displayName]),
                        s("chronology.subtitle", ["ref": file.family.reference, "n": String(chronology.entries.count)]), family: file.family.displayName)
        let body = chronology.document(file, strings: s, names: { _ in "" })
        // Who recorded each event is not printed: the printout may leave the team.
        doc.blocks += body.blocks.map { block in
            guard case .table(let headers, let rows) = block else { return block }
            return .table(headers: Array(headers.dropLast()), rows: rows.map { Array($0.dropLast()) })
        }
        footer(&doc)
        return doc
    }

    public func assessmentSummary(_ a: Assessment, _ file: CaseFile) -> Document {
        let s = strings
        let instrument = instruments.instrument(id: a.instrumentID, version: a.instrumentVersion)
        let title = instrument?.title.text(s.language) ?? a.instrumentID
        var doc = start(s("printout.assessment.title", ["what": title]),
                        s("printout.assessment.subtitle", ["family": file.family.displayName, "date": s.longDate(a.date)]),
                        family: file.family.displayName)
        if let instrument {
            let summary = AssessmentSummary(instrument: instrument, assessment: a, previous: file.previousAssessment(before: a))
            doc.add(.heading(s("printout.assessment.areas")))
            doc.add(.bars(summary.domains.map { line in
                let domain = instrument.domains.first { $0.id == line.domainID }
                var text = line.band.map { s($0.labelKey) } ?? s("rating.notRated")
                if let change = AssessmentSummary.changeText(line, strings: s) { text += " · " + change }
                return Document.Bar(label: domain?.title.text(s.language) ?? line.domainID, fraction: line.score, band: line.band, text: text)
            }))
        }
        doc.section(s("printout.assessment.familyView"), a.familyView)
        doc.section(s("printout.childrenSay"), a.childVoice)
        doc.section(s("printout.assessment.summary"), a.summary)
        doc.add(whoToCall([]))
        footer(&doc)
        return doc
    }
}
