/// A support plan designed with the family: goals in the family's words, each with actions.
public struct Plan: FamilyScoped {
    public typealias ID = Identifier<Plan>
    public static let kind = RecordKind.plan

    public var id: ID
    public var familyID: Family.ID
    public var title: String
    public var goals: [Goal]
    public var status: Status
    public var createdOn: Day
    public var reviewDate: Day?

    public init(id: ID, familyID: Family.ID, title: String, goals: [Goal] = [], status: Status = .active, createdOn: Day, reviewDate: Day? = nil) {
        self.id = id
        self.familyID = familyID
        self.title = title
        self.goals = goals
        self.status = status
        self.createdOn = createdOn
        self.reviewDate = reviewDate
    }

    public var entityID: String { id.raw }

    public enum Status: String, Codable, Sendable, Labelled {
        case active, closed
        public static let labelPrefix = "planStatus"
    }
}

public struct Goal: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    /// The goal as the family said it.
    public var text: String
    /// An instrument domain (`instrument/domain`) or an outcome id this goal answers.
    public var linkedDomain: String?
    public var status: Status
    public var actions: [PlanAction]

    public init(id: String, text: String, linkedDomain: String? = nil, status: Status = .inProgress, actions: [PlanAction] = []) {
        self.id = id
        self.text = text
        self.linkedDomain = linkedDomain
        self.status = status
        self.actions = actions
    }

    public enum Status: String, Codable, Sendable, Labelled {
        case notStarted, inProgress, achieved, dropped
        public static let labelPrefix = "goalStatus"
    }
}

/// "Who does what by when, and who checks."
public struct PlanAction: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var what: String
    public var who: String
    public var byWhen: Day?
    public var whoChecks: String

    public init(id: String, what: String, who: String, byWhen: Day?, whoChecks: String = "") {
        self.id = id
        self.what = what
        self.who = who
        self.byWhen = byWhen
        self.whoChecks = whoChecks
    }

    /// Whether the action is `user`'s to do or to check. "Who" is what the family wrote,
    /// so it names people: the user by full name, or — on a family the user
    /// leads — the worker by role ("Worker", "Gweithiwr", "key worker"). A first name
    /// (or a login, often one) is not enough: family members share first names with workers.
    public func isFor(_ user: User, leadsFamily: Bool) -> Bool {
        PlanAction.names(who, user, leadsFamily) || PlanAction.names(whoChecks, user, leadsFamily)
    }

    static func names(_ text: String, _ user: User, _ leadsFamily: Bool) -> Bool {
        let words = SearchKey.tokens(text)
        guard !words.isEmpty else { return false }
        let name = SearchKey.tokens(user.displayName)
        if !name.isEmpty && words.contains(sequence: name) { return true }
        return leadsFamily && words.contains { ["worker", "gweithiwr", "gweithwraig"].contains($0) }
    }
}

extension Array where Element: Equatable {
    func contains(sequence: [Element]) -> Bool {
        guard !sequence.isEmpty, sequence.count <= count else { return false }
        return (0...(count - sequence.count)).contains { Array(self[$0..<($0 + sequence.count)]) == sequence }
    }
}

/// An action marked done: a separate append-only record, so completions never conflict
/// and work the same for actions in plans, meetings and contact-note follow-ups.
public struct ActionCompletion: FamilyScoped {
    public typealias ID = Identifier<ActionCompletion>
    public static let kind = RecordKind.actionCompletion

    public var id: ID
    public var familyID: Family.ID
    /// The record holding the action (plan, meeting, contact note).
    public var source: EntityRef
    public var actionID: String
    public var by: User.ID
    public var on: Day
    /// Marked done by mistake: reopened by whom and when (the completion stays in the
    /// history; the action is open again).
    public var reopenedBy: User.ID?
    public var reopenedOn: Day?

    public init(id: ID, familyID: Family.ID, source: EntityRef, actionID: String, by: User.ID, on: Day,
                reopenedBy: User.ID? = nil, reopenedOn: Day? = nil) {
        self.id = id
        self.familyID = familyID
        self.source = source
        self.actionID = actionID
        self.by = by
        self.on = on
        self.reopenedBy = reopenedBy
        self.reopenedOn = reopenedOn
    }

    public var isReopened: Bool { reopenedOn != nil }

    public var entityID: String { id.raw }
}
