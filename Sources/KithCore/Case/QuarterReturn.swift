/// The numbers a commissioner asks for each quarter (`kith export return --quarter
/// 2026Q4`), counted from caseload rows: no family is named, so sensitive families are
/// counted like any other.
///
/// - worked with: families opened by the quarter's end and not closed before it began;
///   children: their household members under 18 at the quarter's end (with a date of birth);
/// - referrals: referrals received in the quarter; of those, opened for work: decided "open"
///   (a family from before referrals were recorded counts its opening as its referral, and
///   as opened for work once past "referred");
/// - closures in the quarter, by reason; steps up and down between levels in the quarter;
/// - outcomes: families whose latest assessment on a measure falls in the quarter and who
///   were assessed on it before, by how their score moved from their first.
public struct QuarterReturn: Hashable, Sendable {
    public var year: Int
    public var quarter: Int
    public var first: Day
    public var last: Day
    public var families: [ServiceLevel: Int] = [:]
    public var children: [ServiceLevel: Int] = [:]
    public var referrals = 0
    public var openedForWork = 0
    public var closures: [Closure.Reason: Int] = [:]
    public var stepUps = 0
    public var stepDowns = 0
    public var outcomes: [Outcome] = []

    public struct Outcome: Hashable, Sendable {
        public var instrumentID: String
        public var measure: String
        public var improved = 0, same = 0, worse = 0
    }

    /// `2026Q4`, or nil when it isn't a quarter.
    public static func parse(_ text: String) -> (year: Int, quarter: Int)? {
        let parts = text.uppercased().split(separator: "Q")
        guard parts.count == 2, let year = Int(parts[0]), let quarter = Int(parts[1]), (1...4).contains(quarter), (1900...9999).contains(year) else { return nil }
        return (year, quarter)
    }

    public init(rows: [CaseloadRow], year: Int, quarter: Int, measures: [(instrumentID: String, measures: [String])]) {
        self.year = year
        self.quarter = quarter
        first = Day(year: year, month: (quarter - 1) * 3 + 1, day: 1)!
        last = first.adding(months: 3).adding(days: -1)
        let (first, last) = (first, last)
        func inQuarter(_ day: Day) -> Bool { day >= first && day <= last }
        for row in rows where !row.damaged {
            let history = row.history
            let closedBefore = row.status == .closed && (history.closures.last.map { $0.day < first } ?? false)
            if history.openedOn <= last && !closedBefore {
                families[row.serviceLevel, default: 0] += 1
                children[row.serviceLevel, default: 0] += row.members.filter { member in member.dateOfBirth.map { $0.age(on: last) < 18 && $0 <= last } ?? false }.count
            }
            if history.referrals.isEmpty {
                // A family from before referrals were recorded: its opening was its referral.
                if inQuarter(history.openedOn) {
                    referrals += 1
                    if row.status != .referred { openedForWork += 1 }
                }
            } else {
                for referral in history.referrals where inQuarter(referral.day) {
                    referrals += 1
                    if referral.decision == .open { openedForWork += 1 }
                }
            }
            for closure in history.closures where inQuarter(closure.day) { closures[closure.reason, default: 0] += 1 }
            stepUps += history.levelChanges.filter { inQuarter($0.day) && $0.isStepUp }.count
            stepDowns += history.levelChanges.filter { inQuarter($0.day) && !$0.isStepUp }.count
        }
        outcomes = measures.flatMap { instrument, names in
            names.map { measure in
                var outcome = Outcome(instrumentID: instrument, measure: measure)
                guard let index = CaseHistory.measureIndex(instrument, measure) else { return outcome }
                for row in rows where !row.damaged {
                    let scored = row.history.assessments.filter { $0.instrumentID == instrument && $0.scores.indices.contains(index) }
                        .compactMap { point in point.scores[index].map { (point.day, $0) } }
                    guard scored.count >= 2, let latest = scored.last, inQuarter(latest.0), let start = scored.first?.1 else { continue }
                    let change = latest.1 - start
                    if change > AssessmentSummary.sameWithin { outcome.improved += 1 } else if change < -AssessmentSummary.sameWithin { outcome.worse += 1 } else { outcome.same += 1 }
                }
                return outcome
            }
        }
    }

    /// The return as CSV (`section,item,count`), labels in the given language.
    public func csv(strings s: Strings, measureName: (String, String) -> String) -> String {
        lines(strings: s, measureName: measureName).map { $0.map(CaseloadExport.cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// The return as Markdown: a heading, then one table.
    public func markdown(strings s: Strings, measureName: (String, String) -> String) -> String {
        var out = "# " + s("return.title", ["quarter": "\(year) Q\(quarter)", "from": first.iso, "to": last.iso]) + "\n\n"
        let rows = lines(strings: s, measureName: measureName)
        func escape(_ text: String) -> String { TextSanitizer.line(text).replacingOccurrences(of: "|", with: "\\|") }
        out += "| " + rows[0].map(escape).joined(separator: " | ") + " |\n|---|---|---:|\n"
        for row in rows.dropFirst() { out += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
        return out
    }

    func lines(strings s: Strings, measureName: (String, String) -> String) -> [[String]] {
        var lines: [[String]] = [[s("return.column.section"), s("return.column.item"), s("return.column.count")]]
        for level in ServiceLevel.allCases { lines.append([s("return.families"), s(level.labelKey), String(families[level] ?? 0)]) }
        for level in ServiceLevel.allCases { lines.append([s("return.children"), s(level.labelKey), String(children[level] ?? 0)]) }
        lines.append([s("return.referrals"), s("return.received"), String(referrals)])
        lines.append([s("return.referrals"), s("return.openedForWork"), String(openedForWork)])
        for reason in Closure.Reason.allCases { lines.append([s("return.closures"), s(reason.labelKey), String(closures[reason] ?? 0)]) }
        lines.append([s("return.steps"), s("dashboard.stepUps"), String(stepUps)])
        lines.append([s("return.steps"), s("dashboard.stepDowns"), String(stepDowns)])
        for outcome in outcomes {
            let name = measureName(outcome.instrumentID, outcome.measure)
            lines.append([s("return.outcomes"), "\(name): \(s("dashboard.improved"))", String(outcome.improved)])
            lines.append([s("return.outcomes"), "\(name): \(s("dashboard.same"))", String(outcome.same)])
            lines.append([s("return.outcomes"), "\(name): \(s("dashboard.worse"))", String(outcome.worse)])
        }
        return lines
    }
}
