/// Something with a due date and no completion. Reminders are derived from the records,
/// never stored: overdue when past, "soon" within 7 days.
public struct Reminder: Hashable, Sendable {
    public var kind: Kind
    public var due: Day
    public var source: EntityRef
    /// The action within the source record, for action reminders.
    public var actionID: String?
    /// What to do, in the words of the record (shown only inside the app).
    public var detail: String

    public init(kind: Kind, due: Day, source: EntityRef, actionID: String? = nil, detail: String = "") {
        self.kind = kind
        self.due = due
        self.source = source
        self.actionID = actionID
        self.detail = detail
    }

    public static let soonDays = 7

    public func urgency(today: Day) -> Urgency {
        if due < today { return .overdue }
        if due <= today.adding(days: Reminder.soonDays) { return .soon }
        return .later
    }

    public enum Kind: String, Codable, Sendable, Labelled {
        case familyReview, safetyPlanReview, planReview, meetingReview, action, referralDecision, consentRenewal
        public static let labelPrefix = "reminder"
    }

    public enum Urgency: String, Sendable, Labelled, Comparable {
        case overdue, soon, later
        public static let labelPrefix = "urgency"
        private var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    }
}

extension CaseFile {
    /// Every open due item in the case file, earliest first. A closed family has none but
    /// a referral waiting for its decision.
    public var reminders: [Reminder] {
        var result: [Reminder] = []
        // A referral's decision is due two days after it came in, whatever the status.
        for referral in referrals.values where referral.isPending {
            result.append(Reminder(kind: .referralDecision, due: referral.receivedOn.adding(days: Referral.decisionDays), source: referral.ref))
        }
        guard family.status != .closed else { return result.sorted { ($0.due, $0.source.id) < ($1.due, $1.source.id) } }
        let lastReview = latestReview
        let reviewedOn = lastReview?.date

        if let next = lastReview?.nextReviewDate {
            result.append(Reminder(kind: .familyReview, due: next, source: lastReview!.ref))
        }
        for plan in safetyPlans.values where plan.status == .active {
            guard reviewedOn.map({ $0 < plan.createdOn }) ?? true, let due = plan.effectiveReviewDate else { continue }
            result.append(Reminder(kind: .safetyPlanReview, due: due, source: plan.ref))
        }
        for plan in plans.values where plan.status == .active {
            guard reviewedOn.map({ $0 < plan.createdOn }) ?? true, let due = plan.reviewDate else { continue }
            result.append(Reminder(kind: .planReview, due: due, source: plan.ref))
        }
        for meeting in meetings.values {
            guard reviewedOn.map({ $0 < meeting.date }) ?? true, let due = meeting.reviewDate else { continue }
            result.append(Reminder(kind: .meetingReview, due: due, source: meeting.ref))
        }
        // Consent given until a date: renew it (or record it ended) before it lapses.
        for consent in consents.values {
            guard let until = consent.until, consent.withdrawnOn == nil, !isRenewed(consent) else { continue }
            result.append(Reminder(kind: .consentRenewal, due: until.adding(days: -Consent.renewalNoticeDays), source: consent.ref))
        }
        for item in openActions {
            guard let due = item.action.byWhen else { continue }
            result.append(Reminder(kind: .action, due: due, source: item.source, actionID: item.action.id, detail: item.action.what))
        }
        return result.sorted { ($0.due, $0.kind.rawValue, $0.source.id) < ($1.due, $1.kind.rawValue, $1.source.id) }
    }

    /// A later consent from the same person for the same thing that runs longer (or has
    /// no end) takes over from `consent`.
    func isRenewed(_ consent: Consent) -> Bool {
        consents.values.contains { other in
            other.id != consent.id && other.scope == consent.scope && other.withdrawnOn == nil && other.givenOn >= consent.givenOn
                && (other.personID == consent.personID && (other.personID != nil || other.givenBy == consent.givenBy))
                && Set(other.agencyList.map(Consent.folded)).isSuperset(of: consent.agencyList.map(Consent.folded))
                && (other.until.map { u in consent.until.map { u > $0 } ?? false } ?? true)
        }
    }

    /// The earliest reminder and how many are overdue on `today`.
    public func dueSummary(today: Day) -> (next: Reminder?, overdue: Int) {
        let all = reminders
        return (all.first, all.filter { $0.due < today }.count)
    }
}

/// An action wherever it was written (plan goal, meeting plan, contact note follow-up,
/// supervision).
public struct ActionItem: Hashable, Sendable {
    public var source: EntityRef
    public var action: PlanAction
    public var completion: ActionCompletion?

    public init(source: EntityRef, action: PlanAction, completion: ActionCompletion?) {
        self.source = source
        self.action = action
        self.completion = completion
    }

    public var isDone: Bool { completion != nil }

    public func status(today: Day) -> Status {
        if isDone { return .done }
        if let due = action.byWhen, due < today { return .overdue }
        return .open
    }

    public enum Status: String, Sendable, Labelled {
        case open, overdue, done
        public static let labelPrefix = "actionStatus"
    }
}

extension CaseFile {
    /// Every action in the case file, from plans, meetings, contact notes and supervision.
    public var allActions: [ActionItem] {
        var items: [ActionItem] = []
        for plan in ordered(plans) where plan.status == .active {
            for goal in plan.goals where goal.status != .dropped {
                for action in goal.actions {
                    items.append(ActionItem(source: plan.ref, action: action, completion: isActionDone(source: plan.ref, actionID: action.id)))
                }
            }
        }
        for meeting in ordered(meetings) {
            for action in meeting.familyPlan {
                items.append(ActionItem(source: meeting.ref, action: action, completion: isActionDone(source: meeting.ref, actionID: action.id)))
            }
        }
        for note in ordered(notes) {
            for action in note.followUps {
                items.append(ActionItem(source: note.ref, action: action, completion: isActionDone(source: note.ref, actionID: action.id)))
            }
        }
        for supervision in ordered(supervisions) {
            for action in supervision.actions {
                items.append(ActionItem(source: supervision.ref, action: action, completion: isActionDone(source: supervision.ref, actionID: action.id)))
            }
        }
        return items
    }

    public var openActions: [ActionItem] { allActions.filter { !$0.isDone } }
}
