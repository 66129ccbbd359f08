/// The team lead's view of the team's work, counted from caseload rows alone (no case
/// file is read, so it opens at once at 10,000 families). Every number is the list of
/// families behind it: opening it lists exactly those.
///
/// What counts (open means not closed; damaged rows hold nothing to count and are left out):
/// - per worker, over the open families they lead or co-work: families with an item past
///   due; with a review (of the family, a plan, a safety plan or a meeting) due in the next
///   7 days; with a safety plan whose review is due within 7 days or past (an immediate
///   plan's review falls 7 days after it); with no contact (or none since opening) for 30,
///   60 or 90 days; with open flags; with open conflicts; where something they sent waits
///   for sign-off (any status); with drafts of theirs older than a week (`countDrafts`);
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
        /// Families where something the worker sent waits for a lead's sign-off.
        public var awaitingSignOff = Count()
        /// Families with a draft of theirs older than a week on this laptop (see `countDrafts`).
        public var staleDrafts = Count()
    }

    /// A draft as the dashboard counts it: whose, on which family, when last saved.
    public struct DraftMark: Hashable, Sendable {
        public var author: User.ID
        public var family: Family.ID
        public var savedOn: Day
        public init(author: User.ID, family: Family.ID, savedOn: Day) {
            self.author = author
            self.family = family
            self.savedOn = savedOn
        }
    }

    /// Counts the drafts older than a week of each worker. Drafts live on the laptop they
    /// were typed on and never travel (unfinished work is not shared), so these are the
    /// drafts on this laptop; drafts of a family not yet created have no family to list.
    public mutating func countDrafts(_ drafts: [DraftMark]) {
        let limit = today.adding(days: -7)
        for n in workers.indices {
            let user = workers[n].user
            workers[n].staleDrafts = Count(Array(Set(drafts.filter { $0.author == user && $0.savedOn < limit }.map(\.family))).sorted { $0.raw < $1.raw })
        }
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
    ///
    /// One pass over the rows (10,000 of them open the dashboard in one frame): each row
    /// adds itself to the numbers it belongs to.
    public init(rows: [CaseloadRow], workers: [User.ID], measures: [(instrumentID: String, measures: [String])],
                today: Day, months monthCount: Int = 6, quarters quarterCount: Int = 4) {
        self.today = today
        let rows = rows.filter { !$0.damaged }.sorted { $0.reference < $1.reference }
        let weekEnd = today.adding(days: Reminder.soonDays - 1), planLimit = today.adding(days: Reminder.soonDays)
        let reviewKinds: Set<Reminder.Kind> = [.familyReview, .planReview, .safetyPlanReview, .meetingReview]

        var lines = workers.map { WorkerLine(user: $0) }
        let lineOf = Dictionary(workers.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var byLevel: [ServiceLevel: Count] = Dictionary(uniqueKeysWithValues: ServiceLevel.allCases.map { ($0, Count()) })
        var byStatus: [FamilyStatus: Count] = Dictionary(uniqueKeysWithValues: FamilyStatus.allCases.map { ($0, Count()) })

        // Months as numbers (year × 12 + month − 1), the window's first and last.
        func monthKey(_ day: Day) -> Int { let c = day.components; return c.year * 12 + c.month - 1 }
        let lastMonth = monthKey(today), firstMonth = lastMonth - monthCount + 1
        var months = (firstMonth...lastMonth).map { Month(year: $0 / 12, month: $0 % 12 + 1) }

        // Quarters likewise (year × 4 + quarter − 1).
        func quarterKey(_ day: Day) -> Int { let c = day.components; return c.year * 4 + (c.month - 1) / 3 }
        let lastQuarter = quarterKey(today), firstQuarter = lastQuarter - quarterCount + 1
        struct Followed {
            var instrumentID: String
            var measure: String
            var index: Int
            var movement: Movement
            var sums: [Double]
            var behind: [[Family.ID]]
        }
        var followed: [Followed] = measures.flatMap { instrument, names in
            names.compactMap { measure -> Followed? in
                guard let index = CaseHistory.measureIndex(instrument, measure) else { return nil }
                var movement = Movement(instrumentID: instrument, measure: measure)
                movement.quarters = (firstQuarter...lastQuarter).map { Quarter(year: $0 / 4, quarter: $0 % 4 + 1) }
                return Followed(instrumentID: instrument, measure: measure, index: index, movement: movement,
                                sums: Array(repeating: 0, count: quarterCount), behind: Array(repeating: [], count: quarterCount))
            }
        }

        for row in rows {
            let id = row.familyID
            byStatus[row.status, default: Count()].families.append(id)
            if row.status != .closed {
                byLevel[row.serviceLevel, default: Count()].families.append(id)
                let overdue = row.due.contains { $0.day < today }
                let reviews = row.due.contains { reviewKinds.contains($0.kind) && $0.day >= today && $0.day <= weekEnd }
                let plans = row.due.contains { $0.kind == .safetyPlanReview && $0.day <= planLimit }
                let silent = row.daysSinceContact(today: today) ?? Int.max
                var people: [User.ID] = row.lead.map { [$0] } ?? []
                for person in row.coworkers where !people.contains(person) { people.append(person) }
                for person in people {
                    guard let n = lineOf[person] else { continue }
                    if person == row.lead { lines[n].led.families.append(id) } else { lines[n].coworked.families.append(id) }
                    if overdue { lines[n].overdue.families.append(id) }
                    if reviews { lines[n].reviewsThisWeek.families.append(id) }
                    if plans { lines[n].safetyPlansDue.families.append(id) }
                    if silent >= 30 { lines[n].noContact30.families.append(id) }
                    if silent >= 60 { lines[n].noContact60.families.append(id) }
                    if silent >= 90 { lines[n].noContact90.families.append(id) }
                    if row.openFlags > 0 { lines[n].flags.families.append(id) }
                    if row.conflicts > 0 { lines[n].conflicts.families.append(id) }
                }
            }
            var asked: Set<Int> = []
            for mark in row.signOffs where mark.state == .pending {
                guard let n = lineOf[mark.requestedBy], asked.insert(n).inserted else { continue }
                lines[n].awaitingSignOff.families.append(id)
            }

            let history = row.history
            let opened = monthKey(history.openedOn)
            if opened >= firstMonth && opened <= lastMonth { months[opened - firstMonth].opened.families.append(id) }
            // A family closed twice in a month counts once, under its last reason that month.
            var closedIn: [Int: Closure.Reason] = [:]
            for closure in history.closures {
                let key = monthKey(closure.day)
                if key >= firstMonth && key <= lastMonth { closedIn[key] = closure.reason }
            }
            for (key, reason) in closedIn.sorted(by: { $0.key < $1.key }) {
                months[key - firstMonth].closed.families.append(id)
                months[key - firstMonth].closedByReason[reason, default: Count()].families.append(id)
            }
            var ups: Set<Int> = [], downs: Set<Int> = []
            for change in history.levelChanges {
                let key = monthKey(change.day)
                guard key >= firstMonth && key <= lastMonth else { continue }
                if change.isStepUp { ups.insert(key) } else { downs.insert(key) }
            }
            for key in ups.sorted() { months[key - firstMonth].stepUps.families.append(id) }
            for key in downs.sorted() { months[key - firstMonth].stepDowns.families.append(id) }

            guard !history.assessments.isEmpty else { continue }
            for f in followed.indices {
                var first: Double?, last: Double?, scored = 0
                var inQuarter: [Double?] = Array(repeating: nil, count: quarterCount)
                for point in history.assessments where point.instrumentID == followed[f].instrumentID {
                    guard followed[f].index < point.scores.count, let score = point.scores[followed[f].index] else { continue }
                    if first == nil { first = score }
                    last = score
                    scored += 1
                    let key = quarterKey(point.day)
                    if key >= firstQuarter && key <= lastQuarter { inQuarter[key - firstQuarter] = score }
                }
                if scored >= 2, let first, let last {
                    if last - first > AssessmentSummary.sameWithin { followed[f].movement.improved.families.append(id) }
                    else if first - last > AssessmentSummary.sameWithin { followed[f].movement.worse.families.append(id) }
                    else { followed[f].movement.same.families.append(id) }
                }
                for (q, score) in inQuarter.enumerated() {
                    guard let score else { continue }
                    followed[f].sums[q] += score
                    followed[f].behind[q].append(id)
                }
            }
        }
        self.workers = lines
        self.byLevel = byLevel
        self.byStatus = byStatus
        self.months = months
        movements = followed.map { f in
            var movement = f.movement
            for q in movement.quarters.indices {
                movement.quarters[q].assessed = Count(f.behind[q])
                movement.quarters[q].mean = f.behind[q].isEmpty ? nil : f.sums[q] / Double(f.behind[q].count)
            }
            return movement
        }
    }

    /// The calendar quarter a day falls in (1…4).
    public static func quarter(of day: Day) -> (year: Int, quarter: Int) { (day.year, (day.month - 1) / 3 + 1) }


    /// The measures followed: the seven outcomes, then the three sides of the strengths
    /// and needs assessment, as the newest shipped instruments define them.
    public static func followedMeasures() -> [(instrumentID: String, measures: [String])] { CaseHistory.followed }
}
