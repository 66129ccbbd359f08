/// Printouts that go home with the family: their plan in plain words and their language,
/// the names of the people in their network, what to do if things go wrong, who to call.
public struct FamilyPrintout: Sendable {
    public let strings: Strings
    public let printedOn: Day
    /// Who printed it (the worker's display name).
    public let printedBy: String
    /// The lead practitioner's name, as the family's contact.
    public let worker: String

    public init(strings: Strings, printedOn: Day, printedBy: String, worker: String) {
        self.strings = strings
        self.printedOn = printedOn
        self.printedBy = printedBy
        self.worker = worker
    }

    /// The document for a printable record, or nil when the record cannot be printed.
    public func document(for ref: EntityRef, in file: CaseFile) -> Document? {
        switch ref.kind {
        case .safetyPlan: file.safetyPlans[SafetyPlan.ID(ref.id)].map { safetyPlan($0, file) }
        case .plan: file.plans[Plan.ID(ref.id)].map { familyPlan($0, file) }
        case .meeting: file.meetings[FamilyGroupMeeting.ID(ref.id)].map { meetingPlan($0, file) }
        default: nil
        }
    }

    private func footer(_ doc: inout Document) {
        let s = strings
        doc.add(.note(s("printout.footer", ["date": s.date(printedOn), "name": printedBy])))
        doc.add(.note(s("printout.private")))
    }

    private func whoToCall(_ people: [(String, String)]) -> Document.Block {
        let s = strings
        var lines = people.filter { !$0.1.isEmpty }.map { s("printout.callLine", ["name": $0.0, "phone": $0.1]) }
        if !worker.isEmpty { lines.append(s("printout.callWorker", ["name": worker])) }
        lines.append(s("printout.emergency"))
        return .callout(title: s("printout.whoToCall"), lines: lines)
    }

    public func safetyPlan(_ plan: SafetyPlan, _ file: CaseFile) -> Document {
        let s = strings
        var doc = Document(title: s("printout.safety.title"),
                           subtitle: s("printout.subtitle", ["family": file.family.displayName, "date": s.date(plan.createdOn), "version": String(plan.version)]),
                           language: s.language)
        if plan.status == .superseded { doc.add(.callout(title: s("printout.superseded.title"), lines: [s("printout.superseded")])) }
        if !plan.worries.isEmpty {
            doc.add(.heading(s("printout.safety.worries")))
            doc.add(.list(plan.worries.map { w in
                var line = s("printout.safety.worry", ["who": w.who, "about": w.about])
                if !w.ifNothingChanges.isEmpty { line += " " + s("printout.safety.ifNothing", ["what": w.ifNothingChanges]) }
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
                s("printout.contingency", ["if": $0.ifWhat, "then": $0.then, "who": $0.who.isEmpty ? s("printout.everyone") : $0.who])
            }))
        }
        doc.add(whoToCall(plan.network.map { ($0.name, $0.phone) }))
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
        if let on = plan.agreedOn { agreed.append(.init(s("printout.agreedOn"), s.date(on))) }
        if let review = plan.effectiveReviewDate { agreed.append(.init(s("printout.lookAgain"), s.date(review))) }
        if !agreed.isEmpty {
            doc.add(.heading(s("printout.ourAgreement")))
            doc.add(.fields(agreed))
        }
        footer(&doc)
        return doc
    }

    private func actionTable(_ actions: [PlanAction]) -> Document.Block {
        let s = strings
        return .table(headers: [s("printout.what"), s("printout.who"), s("printout.byWhen"), s("printout.whoChecks")],
                      rows: actions.map { [$0.what, $0.who, $0.byWhen.map(s.date) ?? "", $0.whoChecks] })
    }

    public func familyPlan(_ plan: Plan, _ file: CaseFile) -> Document {
        let s = strings
        var doc = Document(title: s("printout.plan.title"),
                           subtitle: s("printout.plan.subtitle", ["family": file.family.displayName, "date": s.date(plan.createdOn)]),
                           language: s.language)
        for (n, goal) in plan.goals.enumerated() where goal.status != .dropped {
            doc.add(.heading(s("printout.goal", ["n": String(n + 1)])))
            doc.add(.paragraph(goal.text))
            if goal.status == .achieved { doc.add(.note(s("printout.goalAchieved"))) }
            if !goal.actions.isEmpty { doc.add(actionTable(goal.actions)) }
        }
        if let review = plan.reviewDate {
            doc.add(.fields([.init(s("printout.lookAgain"), s.date(review))]))
        }
        doc.add(whoToCall(file.ordered(file.network).compactMap { m in m.phone.map { (m.name, $0) } }))
        footer(&doc)
        return doc
    }

    public func meetingPlan(_ meeting: FamilyGroupMeeting, _ file: CaseFile) -> Document {
        let s = strings
        var doc = Document(title: s("printout.meeting.title"),
                           subtitle: s("printout.meeting.subtitle", ["family": file.family.displayName, "date": s.date(meeting.date), "venue": meeting.venue]),
                           language: s.language)
        let came = meeting.attendees.filter { $0.attendance == .attended }.map(\.name)
        if !came.isEmpty { doc.add(.fields([.init(s("printout.whoCame"), came.joined(separator: ", "))])) }
        doc.section(s("printout.meeting.strengths"), meeting.strengths)
        doc.section(s("printout.meeting.worries"), meeting.worries)
        doc.section(s("printout.meeting.bottomLines"), meeting.bottomLines)
        if !meeting.familyPlan.isEmpty {
            doc.add(.heading(s("printout.meeting.plan")))
            doc.add(actionTable(meeting.familyPlan))
        }
        doc.add(.fields([
            .init(s("printout.meeting.agreement"), s(meeting.agreement.labelKey) + (meeting.agreementNote.isEmpty ? "" : " — \(meeting.agreementNote)")),
            .init(s("printout.meeting.planLead"), meeting.planLead),
        ]))
        if !meeting.contingency.isEmpty { doc.add(.callout(title: s("printout.ifWrong"), lines: [meeting.contingency])) }
        doc.section(s("printout.meeting.checking"), meeting.monitoring)
        if let review = meeting.reviewDate { doc.add(.fields([.init(s("printout.lookAgain"), s.date(review))])) }
        doc.add(whoToCall(file.ordered(file.network).compactMap { m in m.phone.map { (m.name, $0) } }))
        if !meeting.distribution.isEmpty { doc.add(.note(s("printout.copies", ["list": meeting.distribution.joined(separator: ", ")]))) }
        footer(&doc)
        return doc
    }
}
