import Foundation
import Testing
import KithCore
import KithDemo
import KithStore
@testable import KithUI
import KithTestSupport

@Suite(.serialized) struct CaseloadFlowTests {
    /// A Welsh name typed without accents, and a spelling variant, both find the family.
    @Test(arguments: ["llyr", "sian"])
    func searchIsAccentInsensitive(query: String) throws {
        let app = try AppHarness(families: 60)
        // Every open family with a member called Siân or Llŷr (accents in the data).
        let targets = app.store.caseload().filter { row in
            row.status != .closed && row.members.contains { $0.givenName == query || $0.familyName == query }
        }
        try #require(!targets.isEmpty, "the demo has families with a Welsh accented name")
        app.run(.search)
        app.type(query)
        let caseload = try #require(app.model.screens.last?.caseload)
        let found = Set(caseload.shown.map { caseload.rows[$0].familyID })
        for target in targets { #expect(found.contains(target.familyID), "\(target.reference) \(target.members)") }
        #expect(caseload.shown.count < caseload.rows.count)
        #expect(app.screen.contains("“\(query)”"))
        app.press(.escape)
        let cleared = try #require(app.model.screens.last?.caseload)
        #expect(cleared.search.text.isEmpty)
    }

    @Test func soundAlikeNamesAreFound() throws {
        let app = try AppHarness(families: 60)
        let rows = app.store.caseload()
        let rhys = rows.filter { $0.status != .closed && $0.members.contains { $0.givenName == "rhys" } }
        try #require(!rhys.isEmpty)
        app.run(.search)
        app.type("Reece")
        let caseload = try #require(app.model.screens.last?.caseload)
        let found = Set(caseload.shown.map { caseload.rows[$0].familyID })
        #expect(Set(rhys.map(\.familyID)).isSubset(of: found))
    }

    @Test func filtersNarrowAndSayWhatTheyShow() throws {
        let app = try AppHarness(families: 60)
        app.run(.filterOverdue)
        let caseload = try #require(app.model.screens.last?.caseload)
        #expect(!caseload.shown.isEmpty)
        #expect(caseload.shown.allSatisfy { caseload.rows[$0].isOverdue(today: Fixture.today) })
        #expect(app.screen.contains("showing: overdue"))
        app.run(.filterLevel)
        let levelled = try #require(app.model.screens.last?.caseload)
        #expect(levelled.shown.allSatisfy { levelled.rows[$0].serviceLevel == .primary })
        app.run(.clearFilters)
        let all = try #require(app.model.screens.last?.caseload)
        #expect(all.shown.count == all.rows.filter { $0.status != .closed }.count)
        app.run(.filterNoContact)
        let quiet = try #require(app.model.screens.last?.caseload)
        #expect(quiet.shown.allSatisfy { (quiet.rows[$0].daysSinceContact(today: Fixture.today) ?? .max) >= 30 })
    }

    @Test func everyColumnSortsBothWays() throws {
        let app = try AppHarness(families: 30)
        for _ in CaseloadScreen.Column.allCases {
            app.run(.sortNext)
            let ascending = try #require(app.model.screens.last?.caseload)
            app.run(.sortReverse)
            let descending = try #require(app.model.screens.last?.caseload)
            #expect(descending.shown == ascending.shown.reversed(), "\(ascending.sortColumn)")
        }
        for _ in 0..<CaseloadScreen.Column.allCases.count {
            guard case .caseload(let current)? = app.model.screens.last, current.sortColumn != .reference else { break }
            app.press(.char("s"))
        }
        let sorted = try #require(app.model.screens.last?.caseload)
        #expect(sorted.sortColumn == .reference)
        let references = sorted.shown.map { sorted.rows[$0].reference }
        #expect(!references.isEmpty && references == references.sorted())
        #expect(app.screen.contains("Ref▲"))
    }

    @Test func enterOpensTheFamilyAndEscReturns() throws {
        let app = try AppHarness(families: 20)
        let caseload = try #require(app.model.screens.last?.caseload)
        let row = try #require(caseload.selectedRow)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family)
        #expect(family.file.family.id == row.familyID)
        #expect(app.screen.contains(row.reference))
        app.press(.escape)
        _ = try #require(app.model.screens.last?.caseload)
    }

    @Test func aWorkerNeverSeesAnotherWorkersFamily() throws {
        let app = try AppHarness(families: 60, login: "alys")
        let me = app.store.user.id
        let caseload = try #require(app.model.screens.last?.caseload)
        #expect(!caseload.rows.isEmpty)
        #expect(caseload.rows.allSatisfy { $0.lead == me || $0.coworkers.contains(me) })
        #expect(app.screen.contains("My caseload"))
        // Not by search either: another worker's family does not appear.
        let lead = try AppHarness(families: 60)
        let other = try #require(lead.store.caseload().first { $0.lead != me && !$0.coworkers.contains(me) })
        app.run(.search)
        app.type(other.reference)
        let searched = try #require(app.model.screens.last?.caseload)
        #expect(searched.shown.isEmpty)
        // Not by asking the edge directly.
        let messages = app.effects.perform(.openFamily(other.familyID, then: .show))
        let message = try #require(messages.first?.failed)
        #expect(message.title == "Not on your caseload")
    }

    @Test func helpOverlayListsTheScreensKeysAndAnyKeyCloses() throws {
        let app = try AppHarness(families: 10)
        app.press(.char("?"))
        #expect(app.screen.contains("Keys — Caseload"))
        #expect(app.screen.contains("Search names, aliases and references"))
        app.press(.char("x"))
        #expect(!app.screen.contains("Keys — Caseload"))
        app.press(.function(1))
        #expect(app.screen.contains("Keys — Caseload"))
    }

    @Test func aTooSmallWindowSaysSoAndKeepsTheWork() throws {
        let app = try AppHarness(families: 10)
        app.startNote("half-typed note")
        app.resize(Size(width: 60, height: 20))
        #expect(app.screen.contains("This window is too small for Kith"))
        #expect(app.screen.contains("This window is 60×20"))
        app.type("ignored while too small")
        app.resize(Size(width: 80, height: 24))
        #expect(app.screen.contains("half-typed note"))
        #expect(!app.screen.contains("ignored"))
    }

    @Test func quittingAsksOnlyWhenSomethingIsUnsaved() throws {
        let clean = try AppHarness(families: 5)
        clean.press(.char("q"))
        #expect(clean.model.isFinished)

        let app = try AppHarness(families: 5)
        app.run(.open)
        app.run(.addNote)
        app.press(.tab, .tab, .tab, .tab)
        app.type("something")
        app.press(.ctrl("q"))
        #expect(!app.model.isFinished)
        #expect(app.screen.contains("Quit Kith?"))
        app.press(.char("k"))
        #expect(app.model.isFinished)
        #expect(app.store.drafts().count == 1)
    }
}

@Suite struct DamagedFamilyFlowTests {
    /// Case 3 of the store-integrity issue: a family whose log is gone stays on the
    /// caseload, marked, and opening it says what happened and what to do.
    @Test func aFamilyWhoseFileIsGoneStaysOnTheCaseloadMarked() throws {
        let first = try AppHarness(families: 20)
        let row = try #require(first.store.caseload().filter { !$0.sensitive && $0.status != .closed }.min { $0.reference < $1.reference })
        first.store.close()
        try FileManager.default.removeItem(atPath: StoreLayout(root: first.root).family(row.familyID.raw))

        let app = try AppHarness(size: Size(width: 120, height: 30), existing: first.root)
        app.run(.search)
        app.type(row.reference)
        #expect(app.screen.contains("⚠ file damaged · \(row.displayName.prefix(6))"), "\(app.screen)")
        app.press(.escape)
        app.run(.search)
        app.type(row.reference)
        app.press(.enter)
        #expect(app.screen.contains("missing or damaged"), "\(app.screen)")
        #expect(!app.screen.contains("Household"))
    }
}
