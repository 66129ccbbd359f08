/// The team lead's view of the team's work, counted from caseload rows alone (no case
/// file is read, so it opens at once at 10,000 families). Every number is the list of
/// families behind it: opening it lists exactly those.
///
/// What counts (open means not closed; damaged rows hold nothing to count and are left out):
/// - per worker, over the open families they lead or co-work: families with an item past
///   due; with a review (of the family, a plan, a safety plan or a meeting) due in the next
///   7 days; with a safety plan whose review is due within 7 days or past (an immediate
///   plan's review falls 7 days after it); with no contact (or none since opening) for 30,
///   60 or 90 days; with open flags; with open conflicts;
/// - for the team: open families by service level, all by status; per month, families
///   opened, closed (by reason) and stepped up or down between levels;
/// - outcomes: for each followed measure, families assessed at least twice on it, whose
///   latest score is better, the same (within `AssessmentSummary.sameWithin`) or worse than
///   their first; and by quarter, the mean of each family's last score in that quarter.
public struct TeamDashboard: Hashable, Sendable {
    /// A number on the dashboard: the families behind it, in reference order.
    public struct Count: Hashable, Sendable {
        public var families: [Family.ID]
        public var value: Int { families.count }
        public init(_ families: [Family.ID] = []) { self.families = families }
    }

    public struct WorkerLine: Hashable, Sendable {
        public var user: User.ID
        public var led = Count(), coworked = Count(), overdue = Count(), reviewsThisWeek = Count(), safetyPlansDue = Count()
        public var noContact30 = Count(), noContact60 = Count(), noContact90 = Count(), flags = Count(), conflicts = Count()
    }

    public struct Month: Hashable, Sendable {
        public var year: Int
        public var month: Int
        public var opened = Count(), closed = Count(), stepUps = Count(), stepDowns = Count()
        public var closedByReason: [Closure.Reason: Count] = [:]
    }

    public struct Quarter: Hashable, Sendable {
        public var year: Int
        public var quarter: Int
        /// The mean score (0 worst … 1 best) of the families assessed in the quarter, and who they are.
        public var mean: Double?
        public var assessed = Count()
    }

    public struct Movement: Hashable, Sendable {
        public var instrumentID: String
        public var measure: String
        public var improved = Count(), same = Count(), worse = Count()
        public var quarters: [Quarter] = []
    }

    public var today: Day
    public var workers: [WorkerLine]
    public var byLevel: [ServiceLevel: Count]
    public var byStatus: [FamilyStatus: Count]
    /// The last months, oldest first, the current one last.
    public var months: [Month]
    public var movements: [Movement]

    /// `workers`: the team's members who hold cases, in the order to show them;
    /// `measures`: the followed measures, per instrument, in order.
    public init(rows: [CaseloadRow], workers: [User.ID], measures: [(instrumentID: String, measures: [String])],
                today: Day, months monthCount: Int = 6, quarters quarterCount: Int = 4) {
        self.today = today
        let rows = rows.filter { !$0.damaged }.sorted { $0.reference < $1.reference }
        let open = rows.filter { $0.status != .closed }
        let weekEnd = today.adding(days: Reminder.soonDays - 1)
        let reviewKinds: Set<Reminder.Kind> = [.familyReview, .planReview, .safetyPlanReview, .meetingReview]
        func count(_ rows: [CaseloadRow], _ test: (CaseloadRow) -> Bool) -> Count { Count(rows.filter(test).map(\.familyID)) }

        self.workers = workers.map { user in
            let theirs = open.filter { $0.lead == user || $0.coworkers.contains(user) }
            var line = WorkerLine(user: user)
            line.led = count(open) { $0.lead == user }
            line.coworked = count(open) { $0.lead != user && $0.coworkers.contains(user) }
            line.overdue = count(theirs) { $0.due.contains { $0.day < today } }
            line.reviewsThisWeek = count(theirs) { $0.due.contains { reviewKinds.contains($0.kind) && $0.day >= today && $0.day <= weekEnd } }
            line.safetyPlansDue = count(theirs) { $0.due.contains { $0.kind == .safetyPlanReview && $0.day <= today.adding(days: Reminder.soonDays) } }
            func silent(_ days: Int) -> Count { count(theirs) { ($0.daysSinceContact(today: today) ?? Int.max) >= days } }
            line.noContact30 = silent(30)
            line.noContact60 = silent(60)
            line.noContact90 = silent(90)
            line.flags = count(theirs) { $0.openFlags > 0 }
            line.conflicts = count(theirs) { $0.conflicts > 0 }
            return line
        }

        byLevel = Dictionary(uniqueKeysWithValues: ServiceLevel.allCases.map { level in (level, count(open) { $0.serviceLevel == level }) })
        byStatus = Dictionary(uniqueKeysWithValues: FamilyStatus.allCases.map { status in (status, count(rows) { $0.status == status }) })

        let current = (year: today.year, month: today.month)
        months = (0..<monthCount).reversed().map { back in
            let first = Day(year: current.year, month: current.month, day: 1)!.adding(months: -back)
            let (year, month) = (first.year, first.month)
            func inMonth(_ day: Day) -> Bool { day.year == year && day.month == month }
            var line = Month(year: year, month: month)
            line.opened = count(rows) { inMonth($0.history.openedOn) }
            line.closed = count(rows) { $0.history.closures.contains { inMonth($0.day) } }
            line.stepUps = count(rows) { $0.history.levelChanges.contains { inMonth($0.day) && $0.isStepUp } }
            line.stepDowns = count(rows) { $0.history.levelChanges.contains { inMonth($0.day) && !$0.isStepUp } }
            for reason in Closure.Reason.allCases {
                // A family closed twice in a month counts under its last reason that month.
                let behind = count(rows) { $0.history.closures.last { inMonth($0.day) }?.reason == reason }
                if behind.value > 0 { line.closedByReason[reason] = behind }
            }
            return line
        }

        let thisQuarter = TeamDashboard.quarter(of: today)
        movements = measures.flatMap { instrument, names in
            names.map { measure in
                var movement = Movement(instrumentID: instrument, measure: measure)
                var firstLast: [(Family.ID, Double, Double)] = []
                for row in rows {
                    let scored = row.history.assessments.filter { $0.instrumentID == instrument }.compactMap { point in point.scores[measure].map { (point.day, $0) } }
                    guard scored.count >= 2, let first = scored.first?.1, let last = scored.last?.1 else { continue }
                    firstLast.append((row.familyID, first, last))
                }
                movement.improved = Count(firstLast.filter { $0.2 - $0.1 > AssessmentSummary.sameWithin }.map(\.0))
                movement.worse = Count(firstLast.filter { $0.1 - $0.2 > AssessmentSummary.sameWithin }.map(\.0))
                movement.same = Count(firstLast.filter { abs($0.2 - $0.1) <= AssessmentSummary.sameWithin }.map(\.0))
                movement.quarters = (0..<quarterCount).reversed().map { back in
                    let (year, quarter) = TeamDashboard.quarter(thisQuarter, minus: back)
                    var point = Quarter(year: year, quarter: quarter)
                    var scores: [Double] = []
                    var behind: [Family.ID] = []
                    for row in rows {
                        let last = row.history.assessments.last { $0.instrumentID == instrument && TeamDashboard.quarter(of: $0.day) == (year, quarter) && $0.scores[measure] != nil }
                        if let score = last?.scores[measure] {
                            scores.append(score)
                            behind.append(row.familyID)
                        }
                    }
                    point.assessed = Count(behind)
                    point.mean = scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
                    return point
                }
                return movement
            }
        }
    }

    /// The calendar quarter a day falls in (1…4).
    public static func quarter(of day: Day) -> (year: Int, quarter: Int) { (day.year, (day.month - 1) / 3 + 1) }

    static func quarter(_ q: (year: Int, quarter: Int), minus back: Int) -> (year: Int, quarter: Int) {
        let index = q.year * 4 + (q.quarter - 1) - back
        return (index / 4, index % 4 + 1)
    }

    /// The measures followed by default: the seven outcomes, then the three sides of the
    /// strengths and needs assessment, as the shipped instruments define them.
    public static func followedMeasures(_ instruments: [Instrument] = InstrumentLoader.shipped) -> [(instrumentID: String, measures: [String])] {
        [CaseHistory.outcomesInstrument, CaseHistory.strengthsNeedsInstrument].compactMap { id in
            guard let instrument = instruments.filter({ $0.id == id }).max(by: { $0.version < $1.version }) else { return nil }
            return (id, CaseHistory.measures(of: instrument))
        }
    }
}
