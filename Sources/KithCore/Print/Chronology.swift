/// A family's significant events in date order, as practice expects a chronology: when
/// referrals came in and what was decided, when the family was opened, each completed assessment with how its areas came out, plans and
/// safety plans agreed, Family Group Meetings, reviews and what they decided, steps between
/// service levels, supervision decisions, closures, and contact notes the worker marked as
/// significant. Made from the case file alone; the same entries are shown on screen and
/// printed.
public struct Chronology: Sendable {
    public struct Entry: Hashable, Sendable {
        public var day: Day
        public var kind: Kind
        /// The record the event comes from (the family for its opening and level changes).
        public var ref: EntityRef
        public var what: String
        public var by: User.ID?
    }

    public enum Kind: String, Sendable, Labelled {
        case referral, referralDecision, opened, assessment, plan, safetyPlan, meeting, review, levelChange, supervision, closure, significantNote
        public static let labelPrefix = "chronology.kind"
    }

    public let entries: [Entry]

    public init(_ file: CaseFile, strings s: Strings, instruments: InstrumentLibrary) {
        var out: [Entry] = []
        func add(_ day: Day, _ kind: Kind, _ ref: EntityRef, _ what: String, by: User.ID? = nil) {
            out.append(Entry(day: day, kind: kind, ref: ref, what: what.replacingOccurrences(of: "\n", with: " "), by: by ?? file.meta[ref]?.createdBy))
        }
        let family = file.family
        let levels = family.serviceLevelHistory.sorted { $0.from < $1.from }
        add(family.openedOn, .opened, family.ref, s("chronology.opened", ["level": s((levels.first?.level ?? family.serviceLevel).labelKey)]))
        for r in file.referrals.values {
            add(r.receivedOn, .referral, r.ref, s("chronology.referral", ["source": s(r.source.labelKey)]) + (r.agency.isEmpty ? "" : " (\(r.agency))") + " · \(r.reason)")
            if let on = r.decidedOn, !r.isPending {
                add(on, .referralDecision, r.ref, s(r.decision.labelKey) + (r.decisionReason.isEmpty ? "" : " · \(r.decisionReason)"), by: r.decidedBy)
            }
        }
        for (before, after) in zip(levels, levels.dropFirst()) where before.level != after.level {
            let key = after.level > before.level ? "chronology.steppedUp" : "chronology.steppedDown"
            add(after.from, .levelChange, family.ref, s(key, ["level": s(after.level.labelKey)]) + (after.reason.map { " · \($0)" } ?? ""), by: after.by)
        }
        for a in file.assessments.values where a.isComplete {
            let instrument = instruments.instrument(id: a.instrumentID, version: a.instrumentVersion)
            var what = "\(instrument?.title.text(s.language) ?? a.instrumentID) · \(s(a.assessmentKind.labelKey))"
            if let instrument {
                let summary = AssessmentSummary(instrument: instrument, assessment: a, previous: file.previousAssessment(before: a))
                let bands = summary.domains.compactMap { line -> String? in
                    guard let band = line.band else { return nil }
                    let title = instrument.domains.first { $0.id == line.domainID }?.title.text(s.language) ?? line.domainID
                    return "\(title): \(s(band.labelKey))"
                }
                if !bands.isEmpty { what += " — " + bands.joined(separator: "; ") }
            }
            add(a.date, .assessment, a.ref, what)
        }
        for p in file.plans.values { add(p.createdOn, .plan, p.ref, s("chronology.plan", ["title": p.title, "n": String(p.goals.count)])) }
        for p in file.safetyPlans.values where p.status != .draft {
            add(p.agreedOn ?? p.createdOn, .safetyPlan, p.ref, s("chronology.safetyPlan", ["version": String(p.version)]) + (p.immediate ? " · " + s("safety.immediate") : ""))
        }
        for m in file.meetings.values {
            add(m.date, .meeting, m.ref, s("chronology.meeting", ["agreement": s(m.agreement.labelKey), "n": String(m.familyPlan.count)]))
        }
        for r in file.reviews.values {
            add(r.date, .review, r.ref, s(r.decision.labelKey) + (r.outcomeNote.isEmpty ? "" : " · \(r.outcomeNote)"))
        }
        for v in file.supervisions.values where !v.decisions.isEmpty { add(v.date, .supervision, v.ref, v.decisions) }
        for c in file.closures.values { add(c.date, .closure, c.ref, s(c.reason.labelKey) + (c.note.isEmpty ? "" : " · \(c.note)")) }
        for n in file.notes.values where n.isSignificant { add(n.date, .significantNote, n.ref, "\(s(n.contactKind.labelKey)) · \(n.text)") }
        // Oldest first; the same day in the order the records were made.
        entries = out.sorted { a, b in
            if a.day != b.day { return a.day < b.day }
            let ca = file.meta[a.ref]?.createdAt, cb = file.meta[b.ref]?.createdAt
            if let ca, let cb, ca != cb { return ca < cb }
            return (a.kind.rawValue, a.ref.id) < (b.kind.rawValue, b.ref.id)
        }
    }

    /// The chronology as a document (on screen, and printed for other professionals).
    public func document(_ file: CaseFile, strings s: Strings, names: (User.ID?) -> String) -> Document {
        var doc = Document(title: s("chronology.title", ["family": file.family.displayName]),
                           subtitle: s("chronology.subtitle", ["ref": file.family.reference, "n": String(entries.count)]), language: s.language)
        doc.running = doc.title
        doc.pageLabel = s("printout.pageOf")
        doc.add(.table(headers: [s("column.date"), s("chronology.column.event"), s("chronology.column.what"), s("column.by")],
                       rows: entries.map { [s.date($0.day), s($0.kind.labelKey), $0.what, names($0.by)] }))
        return doc
    }
}
