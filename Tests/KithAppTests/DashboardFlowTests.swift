import Foundation
import Testing
import KithCore
import KithStore
import KithUI
import KithTestSupport

/// The team dashboard as a team lead uses it: one key from the caseload, numbers chosen
/// with the arrows, Enter lists exactly the families behind the number.
@Suite(.serialized) struct DashboardFlowTests {
    @Test(arguments: [(Size(width: 80, height: 24), Strings.Language.en), (Size(width: 120, height: 40), .en),
                      (Size(width: 80, height: 24), .cy), (Size(width: 120, height: 40), .cy)])
    func theDashboardAtBothSizesInBothLanguages(size: Size, language: Strings.Language) throws {
        let app = try AppHarness(families: 40, size: size, language: language)
        app.press(.char("d"))
        let name = "dashboard-\(language.rawValue)-\(size.width)x\(size.height)"
        assertSnapshot(app.screen, named: name)
        // The last section, scrolled to at 80x24.
        app.run(.bottom)
        assertSnapshot(app.screen, named: name + "-end")
    }

    @Test func aNumberOpensExactlyTheFamiliesBehindIt() throws {
        let app = try AppHarness(families: 40, size: Size(width: 120, height: 40))
        app.press(.char("d"))
        #expect(app.screen.contains("Team dashboard"))
        let screen = try #require({ if case .dashboard(let s)? = app.model.screens.last { s } else { nil } }())
        // The first worker with families past due: down to their line, across to "overdue".
        let line = try #require(screen.dashboard.workers.firstIndex { $0.overdue.value > 0 })
        let worker = screen.dashboard.workers[line]
        for _ in 0..<line { app.run(.moveDown) }
        app.run(.nextField)
        app.run(.nextField)
        app.press(.enter)
        let list = try #require({ if case .caseload(let s)? = app.model.screens.last { s } else { nil } }())
        #expect(Set(list.shown.map { list.rows[$0].familyID }) == Set(worker.overdue.families))
        #expect(list.shown.count == worker.overdue.value)
        #expect(app.screen.contains("overdue"), "the caseload says which number it lists")
        // Back to the dashboard, then the caseload.
        app.press(.escape)
        #expect(app.screen.contains("Team dashboard"))
        app.press(.escape)
        #expect(app.screen.contains("Team caseload"))
    }

    @Test func theLeadsFiltersByWorkerSafetyPlanAndAssessment() throws {
        let app = try AppHarness(families: 40, size: Size(width: 120, height: 40))
        let rows = try #require({ if case .caseload(let s)? = app.model.screens.last { s } else { nil } }()).rows
        let today = Fixture.today
        func shown() throws -> Set<Family.ID> {
            let now = try #require({ if case .caseload(let s)? = app.model.screens.last { s } else { nil } }())
            return Set(now.shown.map { now.rows[$0].familyID })
        }
        let open = rows.filter { $0.status != .closed }
        app.press(.char("W"))
        let first = try #require(app.model.context.session?.users.values.filter { $0.active && $0.role != .admin }.min { ($0.displayName, $0.id.raw) < ($1.displayName, $1.id.raw) })
        #expect(try shown() == Set(open.filter { $0.lead == first.id || $0.coworkers.contains(first.id) }.map(\.familyID)))
        #expect(app.screen.contains("\(first.displayName)'s families"))
        app.press(.char("x"))
        app.press(.char("P"))
        let plans = Set(open.filter { $0.due.contains { $0.kind == .safetyPlanReview && $0.day <= today.adding(days: 7) } }.map(\.familyID))
        #expect(!plans.isEmpty)
        #expect(try shown() == plans)
        app.press(.char("x"))
        app.press(.char("A"), .char("A"))                    // 3 → 6 months
        #expect(try shown() == Set(open.filter { row in row.history.lastAssessment.map { $0 <= today.adding(months: -6) } ?? true }.map(\.familyID)))
        #expect(app.screen.contains("no assessment in 6 months"))
    }

    @Test func aNumberIsExportedAsCSVAndAudited() throws {
        let app = try AppHarness(families: 40, size: Size(width: 120, height: 40))
        app.press(.char("d"))
        let screen = try #require({ if case .dashboard(let s)? = app.model.screens.last { s } else { nil } }())
        let led = screen.dashboard.workers[0].led
        app.press(.char("e"))
        #expect(app.screen.contains("\(led.value) families exported to"), "\(app.screen)")
        let folder = app.root + "/printouts"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasPrefix("caseload-") && $0.hasSuffix(".csv") })
        let csv = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        #expect(csv.split(separator: "\r\n").count == led.value + 1)
        for family in led.families { #expect(csv.contains(Family.reference(for: family))) }
        let trail = try app.store.auditTrail().entries
        #expect(trail.last { $0.action == .export }?.fields.contains("rows:\(led.value)") == true)
    }
}
