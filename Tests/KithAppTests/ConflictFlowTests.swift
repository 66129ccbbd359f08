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
    /// A demo store (laptop A) whose first family's area was changed on A and, apart, on a
    /// copy standing for laptop B ("Upper valley", then "Lower valley"); B's bundle is in.
    /// `sensitive`: laptop A also marks the family sensitive.
    func conflictedArea(sensitive: Bool = false) throws -> (TemporaryDirectory, String, CaseloadRow) {
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
            if root == a && sensitive { family.sensitive = true }
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

        return (directory, a, row)
    }

    @Test func aConflictIsSeenOnTheCaseloadAndSettledFromTheFamilyScreen() throws {
        let (directory, a, row) = try conflictedArea()
        defer { _ = directory }
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

    @Test func theTeamListNamesEveryConflictAndATextIsSettledWithANewValue() throws {
        let (directory, a, row) = try conflictedArea()
        defer { _ = directory }
        let app = try AppHarness(existing: a)
        app.run(.teamConflicts)
        #expect(app.contains("1 conflict(s) in 1 famil(ies)"))
        #expect(app.contains(row.reference) && app.contains("Family") && app.contains("Area"))
        #expect(!app.contains("Upper valley") && !app.contains("Lower valley"), "values stay on the family's own screen")
        app.press(.enter)
        #expect(app.contains("Upper valley") && app.contains("Lower valley"), "Enter opens the family's conflicts")

        app.run(.writeValue)
        #expect(app.contains("New value for Area of Family"))
        // It starts from the latest value (laptop B's, made two minutes later).
        app.press(.ctrl("u"))
        app.type("Middle valley")
        app.wait(1)
        #expect(app.store.drafts().count == 1, "the value being written is kept as a draft")
        app.run(.save)
        #expect(app.contains("Every conflict in this family is settled."))
        #expect(try app.store.readCase(row.familyID).family.area == "Middle valley")
        #expect(app.store.drafts().isEmpty)
    }

    @Test func aNewValueBeingWrittenSurvivesTheProcessDyingAndSettlesTheConflictAfter() throws {
        let (directory, a, row) = try conflictedArea()
        defer { _ = directory }
        let app = try AppHarness(existing: a)
        app.run(.filterConflicts)
        app.press(.enter)
        app.press(.char("X"))
        app.run(.writeValue)
        app.press(.ctrl("u"))
        app.type("Written before the battery died")
        app.wait(1)
        // The process dies here: nothing more runs, the store is left as it is.
        app.store.close()

        let again = try AppHarness(existing: a)
        #expect(again.contains("Unsaved work found"))
        again.press(.enter)
        #expect(again.contains("Written before the battery died"))
        again.run(.save)
        #expect(again.contains("Every conflict in this family is settled."))
        #expect(try again.store.readCase(row.familyID).family.area == "Written before the battery died")
        #expect(again.store.drafts().isEmpty)
    }

    @Test func onlyATextIsWrittenAnewAndEscapeAsksBeforeDroppingWhatWasTyped() throws {
        let (directory, a, _) = try conflictedArea()
        defer { _ = directory }
        let app = try AppHarness(existing: a)
        app.run(.teamConflicts)
        app.press(.enter)
        app.run(.writeValue)
        app.type("x")
        app.press(.escape)
        #expect(app.contains("Close this form?"))
        app.press(.char("d"))
        #expect(app.contains("Press the number of the value to keep"))
        #expect(app.store.drafts().isEmpty)
        #expect(app.store.caseload().contains { $0.conflicts == 1 }, "still open")
    }

    @Test func aSensitiveFamilyIsListedByItsReferenceOnly() throws {
        let (directory, a, row) = try conflictedArea(sensitive: true)
        defer { _ = directory }
        let app = try AppHarness(existing: a)
        app.run(.teamConflicts)
        #expect(app.contains("\(row.reference) ⊘"))
        #expect(!app.contains(row.displayName))
    }
}
