import Foundation
import Testing
import KithCore
import KithDemo
import KithStore
import KithTestSupport

/// The dashboard's numbers, each held against a count made here from the case files
/// themselves (every family read whole), not from caseload rows or the dashboard's code.
@Suite struct TeamDashboardTests {
    @Test(arguments: [3, 11, 29] as [UInt64]) func everyNumberIsTheCountFromTheRecords(seed: UInt64) throws {
        let directory = TemporaryDirectory("kith-dashboard")
        let today = Fixture.today
        let store = try DemoStore.create(at: directory.file("store"), families: 60, seed: seed, today: today, kdf: .fastForTests, clock: TestClock().storeClock)
        defer { store.close() }
        let workers = store.users.values.filter { $0.role != .admin }.map(\.id).sorted()
        let measures = TeamDashboard.followedMeasures()
        // Work sent for sign-off by the families' lead workers: every third open family
        // (one of them answered already, which no longer counts).
        let asking = store.caseload().filter { $0.status != .closed && $0.lead != nil }.sorted { $0.reference < $1.reference }.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        for (n, row) in asking.enumerated() {
            var request = SignOff(id: SignOff.ID("SIGNOFF-\(seed)-\(n)"), familyID: row.familyID, target: EntityRef(kind: .family, id: row.familyID.raw),
                                  requestedBy: row.lead!, requestedOn: today.adding(days: -n))
            if n == 1 { request = request.decided(.approved, by: store.user.id, on: today, comment: "") }
            try store.save([request], family: row.familyID)
        }
        var dashboard = TeamDashboard(rows: store.caseload(), workers: workers, measures: measures, today: today)
        // Drafts: one a day old, one ten days old, per worker on a family they lead.
        var drafts: [TeamDashboard.DraftMark] = []
        for worker in workers {
            guard let row = store.caseload().filter({ $0.lead == worker }).min(by: { $0.reference < $1.reference }) else { continue }
            drafts.append(.init(author: worker, family: row.familyID, savedOn: today.adding(days: -1)))
            drafts.append(.init(author: worker, family: row.familyID, savedOn: today.adding(days: -10)))
        }
        dashboard.countDrafts(drafts)
        let files = try store.caseload().map { try store.readCase($0.familyID) }.sorted { $0.family.reference < $1.family.reference }
        let open = files.filter { $0.family.status != .closed }
        func ids(_ files: [CaseFile]) -> [Family.ID] { files.map(\.family.id) }

        for line in dashboard.workers {
            let user = line.user
            let theirs = open.filter { $0.family.lead == user || $0.family.coworkers.contains(user) }
            #expect(line.led.families == ids(open.filter { $0.family.lead == user }))
            #expect(line.coworked.families == ids(open.filter { $0.family.lead != user && $0.family.coworkers.contains(user) }))
            #expect(line.overdue.families == ids(theirs.filter { $0.reminders.contains { $0.due < today } }))
            #expect(line.reviewsThisWeek.families == ids(theirs.filter { file in
                file.reminders.contains { $0.kind != .action && today.days(until: $0.due) >= 0 && today.days(until: $0.due) < 7 }
            }))
            #expect(line.safetyPlansDue.families == ids(theirs.filter { file in
                file.reminders.contains { $0.kind == .safetyPlanReview && today.days(until: $0.due) <= 7 }
            }))
            for (days, count) in [(30, line.noContact30), (60, line.noContact60), (90, line.noContact90)] {
                #expect(count.families == ids(theirs.filter { file in file.lastContact.map { $0.days(until: today) >= days } ?? true }), "\(days) days")
            }
            #expect(line.flags.families == ids(theirs.filter { !$0.openFlags.isEmpty }))
            #expect(line.conflicts.families == ids(theirs.filter { !$0.conflicts.isEmpty }))
            #expect(line.awaitingSignOff.families == ids(files.filter { $0.signOffs.values.contains { $0.isPending && $0.requestedBy == user } }))
            #expect(line.staleDrafts.families == drafts.filter { $0.author == user && $0.savedOn.days(until: today) > 7 }.map(\.family))
        }
        #expect(dashboard.workers.map(\.awaitingSignOff.value).reduce(0, +) == asking.count - 1)
        #expect(dashboard.workers.filter { $0.staleDrafts.value == 1 }.count == drafts.count / 2)
        for level in ServiceLevel.allCases {
            #expect(dashboard.byLevel[level]?.families == ids(open.filter { $0.family.serviceLevel == level }))
        }
        for status in FamilyStatus.allCases {
            #expect(dashboard.byStatus[status]?.families == ids(files.filter { $0.family.status == status }))
        }
        for month in dashboard.months {
            func inMonth(_ day: Day) -> Bool { day.year == month.year && day.month == month.month }
            #expect(month.opened.families == ids(files.filter { inMonth($0.family.openedOn) }))
            #expect(month.closed.families == ids(files.filter { $0.closures.values.contains { inMonth($0.date) } }))
            let history = { (file: CaseFile) in zip(file.family.serviceLevelHistory, file.family.serviceLevelHistory.dropFirst()).filter { $0.level != $1.level && inMonth($1.from) } }
            #expect(month.stepUps.families == ids(files.filter { history($0).contains { $0.level < $1.level } }))
            #expect(month.stepDowns.families == ids(files.filter { history($0).contains { $0.level > $1.level } }))
            #expect(month.closedByReason.values.map(\.value).reduce(0, +) == month.closed.value)
        }

        // Outcomes: first and latest completed assessment scored on the measure.
        let instruments = InstrumentLoader.shipped
        for movement in dashboard.movements {
            let instrument = try #require(instruments.first { $0.id == movement.instrumentID })
            func score(_ assessment: Assessment) -> Double? {
                let items = instrument.id == CaseHistory.outcomesInstrument ? instrument.items.filter { $0.id == movement.measure }
                    : instrument.domains.first { $0.id == movement.measure }?.items ?? []
                var values: [Double] = []
                for item in items {
                    let keys = instrument.raters.isEmpty ? [item.id] : instrument.raters.map { "\(item.id)@\($0)" }
                    for key in keys {
                        if case .value(let v)? = assessment.ratings[key]?.rating, let g = instrument.scale(for: item).goodness(v) { values.append(g) }
                    }
                }
                return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            }
            var improved: [Family.ID] = [], same: [Family.ID] = [], worse: [Family.ID] = []
            for file in files {
                let scored = file.assessments.values.filter { $0.isComplete && $0.instrumentID == instrument.id }
                    .sorted { ($0.date, $0.id.raw) < ($1.date, $1.id.raw) }.compactMap(score)
                guard scored.count >= 2 else { continue }
                let change = scored.last! - scored.first!
                if change > 0.05 { improved.append(file.family.id) } else if change < -0.05 { worse.append(file.family.id) } else { same.append(file.family.id) }
            }
            #expect(movement.improved.families == improved, "\(movement.measure)")
            #expect(movement.same.families == same, "\(movement.measure)")
            #expect(movement.worse.families == worse, "\(movement.measure)")
        }

        // The demo has something behind most numbers, so the comparisons above compare something.
        #expect(dashboard.workers.contains { $0.overdue.value > 0 })
        #expect(dashboard.workers.contains { $0.noContact30.value > 0 })
        #expect(dashboard.movements.contains { $0.improved.value + $0.worse.value > 0 })
        #expect(dashboard.months.contains { $0.opened.value > 0 })
    }
}
