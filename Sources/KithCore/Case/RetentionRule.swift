/// How long a closed family's record is kept, set by a team lead for the team: years
/// after closure, with longer (or shorter) times for some kinds of record. A family is
/// kept as long as its longest-kept record: records are removed with their family, never
/// one at a time (a family's log is one sealed history; cutting records out of it would
/// leave the rest unverifiable).
public struct RetentionRule: Codable, Hashable, Sendable {
    public var yearsAfterClosure: Int
    /// Years for a kind of record (`RecordKind` raw value) that differs from the default.
    public var byKind: [String: Int]

    public init(yearsAfterClosure: Int, byKind: [String: Int] = [:]) {
        self.yearsAfterClosure = yearsAfterClosure
        self.byKind = byKind
    }

    public static let yearsRange = 1...99

    /// The years the family is kept after closure, given the kinds of record it holds.
    public func years(for kinds: Set<RecordKind>) -> Int {
        kinds.map { byKind[$0.rawValue] ?? yearsAfterClosure }.max() ?? yearsAfterClosure
    }

    /// The first day a family closed on `closedOn`, holding `kinds`, may be removed.
    public func dueOn(closedOn: Day, kinds: Set<RecordKind>) -> Day {
        closedOn.adding(months: 12 * years(for: kinds))
    }

    /// "6 years after closure; safetyPlan 15" — how the rule is named in tombstones and lists.
    public var summary: String {
        let kinds = byKind.keys.sorted().map { "\($0) \(byKind[$0]!)" }
        return (["\(yearsAfterClosure)y"] + kinds).joined(separator: "; ")
    }
}

extension CaseFile {
    /// The day the family was last closed, while it is closed: its latest closure, or the
    /// decision that closed a family that was only referred.
    public var closedOn: Day? {
        guard family.status == .closed else { return nil }
        let closures = closures.values.map(\.date)
        let decisions = referrals.values.compactMap { $0.decision == .pending || $0.decision == .open ? nil : $0.decidedOn }
        return (closures + decisions).max()
    }

    /// The kinds of record the family holds (its own record included).
    public var recordKinds: Set<RecordKind> {
        Set(values.keys.map(\.kind))
    }
}
