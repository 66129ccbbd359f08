/// How a record reads for the worker on screen: every field, who made it and when,
/// addenda, flags.
public struct RecordDocuments: Sendable {
    public let strings: Strings
    public let instruments: InstrumentLibrary
    public let today: Day
    public let names: @Sendable (User.ID?) -> String

    public init(strings: Strings, instruments: InstrumentLibrary, today: Day, names: @escaping @Sendable (User.ID?) -> String) {
        self.strings = strings
        self.instruments = instruments
        self.today = today
        self.names = names
    }

    public func document(for ref: EntityRef, in file: CaseFile) -> Document? {
        let s = strings
        var doc: Document?
        switch ref.kind {
        case .assessment: doc = file.assessments[Assessment.ID(ref.id)].map { assessment($0, file) }
        case .plan: doc = file.plans[Plan.ID(ref.id)].map { plan($0, file) }
        case .safetyPlan: doc = file.safetyPlans[SafetyPlan.ID(ref.id)].map { safetyPlan($0, file) }
        case .meeting: doc = file.meetings[FamilyGroupMeeting.ID(ref.id)].map { meeting($0, file) }
        case .contactNote: doc = file.notes[ContactNote.ID(ref.id)].map { note($0, file) }
        case .review: doc = file.reviews[Review.ID(ref.id)].map { review($0, file) }
        case .closure:
            doc = file.closures[Closure.ID(ref.id)].map { c in
                var d = Document(title: s("kind.closure"), subtitle: s.date(c.date), language: s.language)
                d.add(.fields([.init(s("field.closure.reason"), s(c.reason.labelKey))]))
                d.section(s("field.closure.note"), c.note)
                return d
            }
        case .flag:
            doc = file.flags[Flag.ID(ref.id)].map { f in
                var d = Document(title: s("kind.flag"), subtitle: s("flag.raised", ["name": names(f.raisedBy), "date": s.date(f.raisedOn)]), language: s.language)
                d.add(.fields([.init(s("column.about"), f.target.kind == .family ? s("flag.onFamily") : s("flag.onRecord", ["kind": s(f.target.kind.labelKey)])),
                               .init(s("column.state"), f.isOpen ? s("flag.open") : s("flag.resolvedBy", ["name": names(f.resolvedBy), "date": f.resolvedOn.map(s.date) ?? ""]))]))
                d.section(s("field.flag.note"), f.note)
                d.section(s("field.flag.response"), f.response ?? "")
                return d
            }
        case .family:
            // The family as a whole reads as its chronology.
            guard ref == file.familyRef else { return nil }
            return Chronology(file, strings: s, instruments: instruments).document(file, strings: s, names: names)
        case .supervision:
            doc = file.supervisions[Supervision.ID(ref.id)].map { supervision($0, file) }
        case .signOff:
            doc = file.signOffs[SignOff.ID(ref.id)].map { signOff($0, file) }
        case .referral:
            doc = file.referrals[Referral.ID(ref.id)].map { r in
                var d = Document(title: s("kind.referral"), subtitle: s("referral.summary", ["date": s.date(r.receivedOn), "source": s(r.source.labelKey)]),
                                 language: s.language)
                var fields: [Document.Field] = [.init(s("field.referral.agency"), r.agency), .init(s("field.referral.contact"), r.contact),
                                                .init(s("field.referral.decision"), s(r.decision.labelKey))]
                if let decided = r.decidedOn { fields.append(.init(s("column.by"), s("record.madeBy", ["name": names(r.decidedBy), "date": s.date(decided)]))) }
                d.add(.fields(fields))
                d.add(.note(s(r.consentToReferral ? "referral.consented" : "referral.notConsented")))
                d.section(s("field.referral.reason"), r.reason)
                d.section(s("field.referral.needs"), r.presentingNeeds)
                d.section(s("field.referral.risks"), r.riskFactors)
                d.section(s("field.referral.decisionReason"), r.decisionReason)
                return d
            }
        case .attachment:
            doc = file.attachments[Attachment.ID(ref.id)].map { a in
                var d = Document(title: a.title, subtitle: s("kind.attachment"), language: s.language)
                var fields: [Document.Field] = [.init(s("field.attach.fileName"), a.fileName),
                                                .init(s("field.attach.type"), "\(s(a.mediaType.labelKey)), \(s.bytes(a.size))"),
                                                .init(s("field.attach.added"), s.date(a.addedOn)),
                                                .init("SHA-256", a.sha256)]
                if let removed = a.removedOn {
                    fields.append(.init(s("field.attach.removed"), s("record.madeBy", ["name": names(a.removedBy), "date": s.date(removed)])))
                }
                d.add(.fields(fields))
                if a.isRemoved {
                    d.section(s("field.attach.reason"), a.removalReason ?? "")
                } else {
                    d.add(.note(s("attach.keys")))
                }
                return d
            }
        case .addendum:
            doc = file.addenda[Addendum.ID(ref.id)].map { a in
                var d = Document(title: s("kind.addendum"), subtitle: s("record.madeBy", ["name": names(a.author), "date": s.date(a.date)]), language: s.language)
                d.add(.paragraph(a.text))
                return d
            }
        default:
            doc = nil
        }
        guard var document = doc else { return nil }
        // Addenda and flags on this record, and who made it.
        let addenda = file.ordered(file.addenda).filter { $0.target == ref }
        for a in addenda {
            document.add(.heading(s("record.addendum", ["name": names(a.author), "date": s.date(a.date)])))
            document.add(.paragraph(a.text))
        }
        // The sign-off first: a worker opening a returned item reads the lead's comment at once.
        if let request = file.latestSignOff(for: ref) {
            document.blocks.insert(.callout(title: "✓ " + s("kind.signOff") + " · " + s(request.state.labelKey), lines: signOffLines(request)), at: 0)
        }
        for f in file.ordered(file.flags) where f.target == ref && f.isOpen {
            document.add(.callout(title: "⚑ " + s("record.flagged", ["name": names(f.raisedBy)]), lines: [f.note]))
        }
        if let meta = file.meta[ref] {
            var line = s("record.madeBy", ["name": names(meta.createdBy), "date": s.date(meta.createdAt.day)])
            if meta.updatedAt != meta.createdAt { line += " · " + s("record.changedBy", ["name": names(meta.updatedBy), "date": s.date(meta.updatedAt.day)]) }
            document.add(.note(line))
        }
        return document
    }

    func supervision(_ v: Supervision, _ file: CaseFile) -> Document {
        let s = strings
        var d = Document(title: s("kind.supervision"), subtitle: s.date(v.date), language: s.language)
        d.add(.fields([.init(s("field.supervision.worker"), names(v.worker))]))
        d.section(s("field.supervision.discussed"), v.discussed)
        d.section(s("field.supervision.decisions"), v.decisions)
        if !v.actions.isEmpty {
            d.add(.heading(s("field.supervision.actions")))
            d.add(.table(headers: [s("field.action.what"), s("field.action.who"), s("field.action.byWhen"), s("field.action.whoChecks"), s("column.state")],
                         rows: actionLines(v.actions, source: v.ref, file)))
        }
        return d
    }

    func signOff(_ o: SignOff, _ file: CaseFile) -> Document {
        let s = strings
        let what = o.proposedClosure != nil ? s("signOff.closureProposed") : s(o.target.kind.labelKey)
        var d = Document(title: s("kind.signOff") + " · " + what, subtitle: s(o.state.labelKey), language: s.language)
        d.add(.paragraph(signOffLines(o).joined(separator: "\n")))
        if let closure = o.proposedClosure {
            d.add(.fields([.init(s("field.closure.date"), s.date(closure.date)), .init(s("field.closure.reason"), s(closure.reason.labelKey))]))
            d.section(s("field.closure.note"), closure.note)
        }
        return d
    }

    /// Who sent it, with what note, and the lead's answer.
    func signOffLines(_ o: SignOff) -> [String] {
        let s = strings
        var lines = [s("signOff.sent", ["name": names(o.requestedBy), "date": s.date(o.requestedOn)])]
        if !o.note.isEmpty { lines.append(o.note) }
        if let on = o.decidedOn {
            lines.append(s(o.state == .approved ? "signOff.approvedBy" : "signOff.returnedBy", ["name": names(o.decidedBy), "date": s.date(on)]))
            if !o.comment.isEmpty { lines.append(o.comment) }
        }
        return lines
    }

    func personName(_ id: Person.ID, _ file: CaseFile) -> String { file.people[id]?.fullName ?? "" }

    func assessment(_ a: Assessment, _ file: CaseFile) -> Document {
        let s = strings
        let instrument = instruments.instrument(id: a.instrumentID, version: a.instrumentVersion)
        var doc = Document(title: instrument?.title.text(s.language) ?? a.instrumentID,
                           subtitle: "\(s(a.assessmentKind.labelKey)) · \(s.date(a.date)) · \(s(a.state.labelKey))", language: s.language)
        doc.add(.fields([
            .init(s("assessment.covers"), a.subjects.map { personName($0, file) }.filter { !$0.isEmpty }.joined(separator: ", ")),
            .init(s("assessment.participants"), a.participants),
        ]))
        guard let instrument else {
            doc.add(.note(s("assessment.instrumentMissing", ["id": a.instrumentID, "version": String(a.instrumentVersion)])))
            return doc
        }
        let previous = file.previousAssessment(before: a)
        let summary = AssessmentSummary(instrument: instrument, assessment: a, previous: previous)
        doc.add(.heading(s("assessment.summary")))
        doc.add(.bars(summary.domains.map { line in
            let domain = instrument.domains.first { $0.id == line.domainID }!
            var text = s("assessment.rated", ["rated": String(line.rated), "total": String(line.total)])
            if let band = line.band { text += " · " + s(band.labelKey) }
            if let change = AssessmentSummary.changeText(line, strings: s) { text += " · " + change }
            return Document.Bar(label: domain.title.text(s.language), fraction: line.score, band: line.band, text: text)
        }))
        doc.list(s("assessment.movedHeading"), summary.movedLines(instrument, strings: s))
        let concerns = summary.domains.flatMap(\.concerns)
        if !concerns.isEmpty {
            doc.list(s("assessment.concerns"), concerns.compactMap { key in
                let itemID = key.split(separator: "@").first.map(String.init) ?? key
                return instrument.items.first { $0.id == itemID }?.text.text(s.language)
            })
        }
        for domain in instrument.domains {
            var rows: [[String]] = []
            for item in domain.items {
                let scale = instrument.scale(for: item)
                let keys = instrument.raters.isEmpty ? [(item.id, "")] : instrument.raters.map { (RatingKey.make(item: item.id, rater: $0), s("rater.\($0)")) }
                for (key, rater) in keys {
                    let rating = a.ratings[key]
                    let value: String
                    switch rating?.rating ?? .notRated {
                    case .notRated: value = scale.kind == .narrative ? "" : s("rating.notRated")
                    case .unknown: value = s("rating.unknown")
                    case .value(let v): value = "\(v) " + (scale.label(v, polarity: item.polarity)?.text(s.language) ?? "")
                    }
                    let before = previous?.rating(key).value.map(String.init) ?? ""
                    let label = item.text.text(s.language) + (rater.isEmpty ? "" : " (\(rater))")
                    rows.append([label, value, before, rating?.evidence ?? ""])
                }
            }
            doc.add(.heading(domain.title.text(s.language)))
            doc.add(.table(headers: [s("assessment.item"), s("assessment.rating"), s("assessment.before"), s("assessment.evidence")], rows: rows))
        }
        doc.section(s("assessment.familyView"), a.familyView)
        doc.section(s("assessment.childVoice"), a.childVoice)
        doc.section(s("assessment.summaryText"), a.summary)
        if a.isComplete, let by = a.completedBy {
            doc.add(.note(s("assessment.completedBy", ["name": names(by), "date": a.completedOn.map(s.date) ?? ""])))
        }
        return doc
    }

    func actionLines(_ actions: [PlanAction], source: EntityRef, _ file: CaseFile) -> [[String]] {
        actions.map { action in
            let item = ActionItem(source: source, action: action, completion: file.isActionDone(source: source, actionID: action.id))
            let status = item.status(today: today)
            return [action.what, action.who, action.byWhen.map(strings.date) ?? "", action.whoChecks,
                    (status == .overdue ? "! " : "") + strings(status.labelKey)]
        }
    }

    func plan(_ p: Plan, _ file: CaseFile) -> Document {
        let s = strings
        var doc = Document(title: p.title, subtitle: "\(s(p.status.labelKey)) · \(s("plan.made", ["date": s.date(p.createdOn)]))", language: s.language)
        if let review = p.reviewDate { doc.add(.fields([.init(s("field.plan.review"), s.date(review))])) }
        for goal in p.goals {
            doc.add(.heading("\(goal.text) — \(s(goal.status.labelKey))"))
            if let link = goal.linkedDomain { doc.add(.note(s("plan.linked", ["domain": domainTitle(link)]))) }
            if !goal.actions.isEmpty {
                doc.add(.table(headers: [s("field.action.what"), s("field.action.who"), s("field.action.byWhen"), s("field.action.whoChecks"), s("column.state")],
                               rows: actionLines(goal.actions, source: p.ref, file)))
            }
        }
        return doc
    }

    func domainTitle(_ link: String) -> String {
        let parts = link.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let instrument = instruments.current.first(where: { $0.id == parts[0] }) else { return link }
        if let domain = instrument.domains.first(where: { $0.id == parts[1] }) { return domain.title.text(strings.language) }
        return instrument.items.first { $0.id == parts[1] }?.text.text(strings.language) ?? link
    }

    func safetyPlan(_ p: SafetyPlan, _ file: CaseFile) -> Document {
        let s = strings
        var subtitle = s("timeline.safetyPlan", ["version": String(p.version), "status": s(p.status.labelKey)]) + " · " + s.date(p.createdOn)
        if p.immediate { subtitle += " · " + s("safety.immediate") }
        var doc = Document(title: s("kind.safetyPlan"), subtitle: subtitle, language: s.language)
        var fields = [Document.Field(s("field.safety.review"), p.effectiveReviewDate.map(s.date) ?? "—")]
        if let old = p.supersedes, let previous = file.safetyPlans[old] { fields.append(.init(s("safety.replaces"), s("safety.version", ["n": String(previous.version)]))) }
        if let newer = file.safetyPlans.values.first(where: { $0.supersedes == p.id }) { fields.append(.init(s("safety.replacedBy"), s("safety.version", ["n": String(newer.version)]))) }
        if !p.agreedBy.isEmpty { fields.append(.init(s("field.safety.agreedBy"), p.agreedBy.joined(separator: ", ") + (p.agreedOn.map { " · " + s.date($0) } ?? ""))) }
        doc.add(.fields(fields))
        doc.table(s("safety.section.worries"), headers: [s("field.worry.who"), s("field.worry.about"), s("field.worry.ifNothing"), s("field.worry.goal")],
                  rows: p.worries.map { [$0.who, $0.about, $0.ifNothingChanges, $0.safetyGoal] })
        if !p.judgements.isEmpty {
            doc.add(.heading(s("field.safety.judgements")))
            doc.add(.bars(p.judgements.map { Document.Bar(label: $0.who, fraction: Double($0.score) / 10, band: Band(goodness: Double($0.score) / 10), text: "\($0.score)/10 · \($0.reason)") }))
        }
        doc.table(s("safety.section.network"), headers: [s("field.safety.name"), s("field.safety.role"), s("field.safety.phone"), s("field.safety.agreed")],
                  rows: p.network.map { [$0.name, $0.role, $0.phone, $0.agreed ? s("form.yes") : s("form.no")] })
        doc.list(s("field.safety.rules"), p.rules)
        doc.list(s("field.safety.triggers"), p.triggers)
        doc.list(s("field.safety.bottomLines"), p.bottomLines)
        doc.table(s("field.safety.contingencies"), headers: [s("field.contingency.if"), s("field.contingency.then"), s("field.contingency.who")],
                  rows: p.contingencies.map { [$0.ifWhat, $0.then, $0.who] })
        doc.section(s("field.safety.childView"), p.childView)
        return doc
    }

    func meeting(_ m: FamilyGroupMeeting, _ file: CaseFile) -> Document {
        let s = strings
        var doc = Document(title: s("kind.meeting"), subtitle: "\(s.date(m.date)) · \(m.venue)", language: s.language)
        doc.add(.fields([
            .init(s("field.meeting.language"), s(m.languageUsed.labelKey)), .init(s("field.meeting.coordinator"), m.coordinator),
            .init(s("field.meeting.child"), s(m.childParticipation.labelKey) + (m.childParticipationNote.isEmpty ? "" : " · \(m.childParticipationNote)")),
            .init(s("field.meeting.privateTime"), m.privateFamilyTime ? s("form.yes") : s("form.no")),
            .init(s("field.meeting.agreement"), s(m.agreement.labelKey) + (m.agreementNote.isEmpty ? "" : " · \(m.agreementNote)")),
            .init(s("field.meeting.planLead"), m.planLead), .init(s("field.meeting.review"), m.reviewDate.map(s.date) ?? "—"),
        ]))
        doc.table(s("field.meeting.attendees"), headers: [s("field.attendee.name"), s("field.attendee.group"), s("field.attendee.attendance")],
                  rows: m.attendees.map { [$0.name, s($0.group.labelKey), s($0.attendance.labelKey)] })
        doc.section(s("field.meeting.worries"), m.worries)
        doc.section(s("field.meeting.strengths"), m.strengths)
        doc.section(s("field.meeting.resources"), m.resources)
        doc.section(s("field.meeting.bottomLines"), m.bottomLines)
        doc.table(s("field.meeting.plan"), headers: [s("field.action.what"), s("field.action.who"), s("field.action.byWhen"), s("field.action.whoChecks"), s("column.state")],
                  rows: actionLines(m.familyPlan, source: m.ref, file))
        doc.section(s("field.meeting.contingency"), m.contingency)
        doc.section(s("field.meeting.monitoring"), m.monitoring)
        if !m.distribution.isEmpty { doc.add(.note(s("meeting.copies", ["list": m.distribution.joined(separator: ", ")]))) }
        return doc
    }

    func note(_ n: ContactNote, _ file: CaseFile) -> Document {
        let s = strings
        var doc = Document(title: s(n.contactKind.labelKey), subtitle: s.date(n.date), language: s.language)
        var fields: [Document.Field] = []
        let seen = n.seen.map { personName($0, file) }.filter { !$0.isEmpty }
        if !seen.isEmpty { fields.append(.init(s("field.note.seen"), seen.joined(separator: ", "))) }
        fields.append(.init(s("field.note.seenAlone"), n.childSeenAlone ? s("form.yes") : s("form.no")))
        doc.add(.fields(fields))
        doc.add(.paragraph(n.text))
        doc.table(s("field.note.followUps"), headers: [s("field.action.what"), s("field.action.who"), s("field.action.byWhen"), s("field.action.whoChecks"), s("column.state")],
                  rows: actionLines(n.followUps, source: n.ref, file))
        return doc
    }

    func review(_ r: Review, _ file: CaseFile) -> Document {
        let s = strings
        var doc = Document(title: s("kind.review"), subtitle: s.date(r.date), language: s.language)
        doc.add(.fields([.init(s("field.review.decision"), s(r.decision.labelKey)), .init(s("field.review.next"), r.nextReviewDate.map(s.date) ?? "—")]))
        doc.section(s("field.review.outcomes"), r.outcomeNote)
        if !r.goalUpdates.isEmpty {
            doc.add(.heading(s("review.section.goals")))
            doc.add(.list(r.goalUpdates.map { update in
                let text = file.plans[update.plan]?.goals.first { $0.id == update.goal }?.text ?? update.goal
                return "\(text) — \(s(update.status.labelKey))"
            }))
        }
        doc.section(s("field.review.notes"), r.notes)
        return doc
    }
}
