import Foundation
import Testing
import KithApp
import KithCore
import KithDemo
@testable import KithStore
import KithTestSupport
import KithUI

/// A conflict as a team lead meets it: the caseload marks the family, the family screen
/// says how many, `X` lists each with every value and who chose it where, a digit keeps
/// one — and the family is settled.
@Suite struct ConflictFlowTests {
    @Test func aConflictIsSeenOnTheCaseloadAndSettledFromTheFamilyScreen() throws {
        let directory = TemporaryDirectory("kith-conflict")
        let clock = TestClock()
        let a = directory.file("a"), b = directory.file("b")
        try DemoStore.create(at: a, families: 6, seed: 3, today: Fixture.today, kdf: .fastForTests, clock: clock.storeClock).close()
        try FileManager.default.copyItem(atPath: a, toPath: b)
        try Data("LAPTOPB000000001\n".utf8).write(to: URL(fileURLWithPath: StoreLayout(root: b).device))
        func open(_ root: String) throws -> Store {
            try Store.open(at: root, login: DemoStore.leadLogin, passphrase: DemoStore.passphrase, clock: clock.storeClock)
        }
        let first = try open(a)
        let row = try #require(first.caseload().filter { $0.status != .closed && !$0.sensitive }.min { $0.reference < $1.reference })
        first.close()
        for (root, area) in [(a, "Upper valley"), (b, "Lower valley")] {
            let store = try open(root)
            var family = try store.readCase(row.familyID).family
            family.area = area
            try store.save([family], family: row.familyID)
            if root == b {
                let bundle = try store.exportBundle(for: .everything).bytes
                store.close()
                let other = try open(a)
                try other.importBundle(bundle, file: "b.kithbundle")
                other.close()
            } else {
                store.close()
            }
            clock.advance(120)
        }

        let app = try AppHarness(existing: a)
        app.run(.filterConflicts)
        #expect(app.contains("≠1"))
        #expect(app.contains(row.reference))
        app.press(.enter)
        #expect(app.contains("≠ 1 conflict(s) to settle (X)"))
        app.press(.char("X"))
        #expect(app.contains("Upper valley") && app.contains("Lower valley"))
        #expect(app.contains("LAPTOPB000000001"), "which laptop each value came from")
        // Keep the one typed on laptop B, whichever number it has.
        let lines = app.screen.split(separator: "\n")
        let chosen = try #require(lines.first { $0.contains("Lower valley") }?.trimmingCharacters(in: .whitespaces).first)
        app.press(.char(chosen))
        #expect(app.contains("Every conflict in this family is settled."))
        #expect(!app.contains("conflict(s) to settle"))
        #expect(try app.store.readCase(row.familyID).family.area == "Lower valley")
        #expect(app.store.row(row.familyID)?.conflicts == 0)
    }
}
