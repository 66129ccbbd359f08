/// One line of what was written in a family's records: what full-text search looks in,
/// and what a result shows.
public struct WrittenLine: Hashable, Sendable {
    public var ref: EntityRef
    public var day: Day
    public var text: String

    public init(ref: EntityRef, day: Day, text: String) {
        self.ref = ref
        self.day = day
        self.text = text
    }

    /// A line longer than this is cut into pieces of about this length at spaces, so a
    /// result shows the part that matched.
    public static let pieceLength = 240
}

extension CaseFile {
    /// Every line written in the family's contact notes, meetings, plans, safety plans,
    /// assessments, reviews, addenda, referrals, supervision and closures, in the words
    /// written (names and choices are found by the caseload's search, not here), each
    /// kind in the order its records were made.
    public var writtenLines: [WrittenLine] {
        var lines: [WrittenLine] = []
        func add(_ ref: EntityRef, _ day: Day, _ texts: [String]) {
            for text in texts {
                for line in text.split(whereSeparator: \.isNewline) {
                    for piece in WrittenLine.pieces(of: line.trimmingCharacters(in: .whitespaces)) where !piece.isEmpty {
                        lines.append(WrittenLine(ref: ref, day: day, text: piece))
                    }
                }
            }
        }
        for n in ordered(notes) { add(n.ref, n.date, [n.text] + n.followUps.map(\.what)) }
        for m in ordered(meetings) {
            add(m.ref, m.date, [m.worries, m.strengths, m.resources, m.bottomLines, m.childParticipationNote, m.agreementNote, m.contingency, m.monitoring]
                + m.familyPlan.map(\.what))
        }
        for p in ordered(plans) { add(p.ref, p.createdOn, [p.title] + p.goals.flatMap { [$0.text] + $0.actions.map(\.what) }) }
        for p in ordered(safetyPlans) {
            add(p.ref, p.createdOn, p.worries.flatMap { [$0.about, $0.ifNothingChanges, $0.safetyGoal] } + p.judgements.map(\.reason)
                + p.rules + p.triggers + p.bottomLines + p.contingencies.flatMap { [$0.ifWhat, $0.then] } + [p.childView])
        }
        for a in ordered(assessments) {
            add(a.ref, a.date, [a.familyView, a.childVoice, a.summary] + a.ratings.keys.sorted().compactMap { a.ratings[$0]?.evidence })
        }
        for r in ordered(reviews) { add(r.ref, r.date, [r.outcomeNote, r.notes] + r.goalUpdates.map(\.note)) }
        for a in ordered(addenda) { add(a.ref, a.date, [a.text]) }
        for r in ordered(referrals) { add(r.ref, r.receivedOn, [r.reason, r.presentingNeeds, r.riskFactors, r.decisionReason]) }
        for s in ordered(supervisions) { add(s.ref, s.date, [s.discussed, s.decisions] + s.actions.map(\.what)) }
        for c in ordered(closures) { add(c.ref, c.date, [c.note]) }
        return lines
    }
}

extension WrittenLine {
    /// `line` cut at spaces into pieces of about `pieceLength` characters.
    static func pieces(of line: String) -> [String] {
        guard line.count > pieceLength else { return [line] }
        var pieces: [String] = []
        var current = ""
        for word in line.split(separator: " ") {
            if !current.isEmpty && current.count + word.count + 1 > pieceLength {
                pieces.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word.prefix(pieceLength)) : " " + word
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
