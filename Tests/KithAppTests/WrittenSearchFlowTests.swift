import Foundation
import Testing
import KithApp
import KithCore
import KithDemo
@testable import KithStore
@testable import KithUI
import KithTestSupport

/// Finding what was written, by keys: a phrase typed in a note is found from the caseload
/// (`T`) and from its family, and Enter lands on it; a worker finds nothing of families
/// they may not see; the index on disk is sealed.
@Suite(.serialized) struct WrittenSearchFlowTests {
    @Test func aPhraseTypedInANoteIsFoundAndOpenedAtIt() throws {
        let app = try AppHarness(families: 20)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family).file.family
        app.run(.addNote)
        try app.focus("text")
        app.type("Visit went well.\nSiân said the boiler was mended on Tuesday.")
        app.press(.ctrl("s"), .char("s"))
        #expect(app.screen.contains("Contact note saved."), "\(app.screen)")
        let note = try #require(try app.store.readCase(family.id).notes.values.first { $0.text.contains("boiler was mended") })
        app.press(.escape)

        // From the caseload, typed without the accent and with the last word half done.
        app.run(.searchWritten)
        #expect(app.screen.contains("Find in what was written"), "\(app.screen)")
        app.type("sian said the boiler was mend")
        var screen = try #require(app.model.screens.last.flatMap { if case .searchWritten(let s) = $0 { s } else { nil } })
        #expect(screen.hits.map(\.line.ref) == [note.ref], "\(app.screen)")
        #expect(screen.hits.first?.line.text == "Siân said the boiler was mended on Tuesday.")
        #expect(app.screen.contains(family.reference) && app.screen.contains("boiler was"), "\(app.screen)")
        app.press(.enter)
        let record = try #require(app.model.screens.last?.record, "\(app.screen)")
        #expect(record.ref == note.ref)
        let found = try #require(record.found)
        #expect(record.lines[found].segments.map(\.0).joined().contains("boiler was mended"))
        #expect(app.screen.contains("▸"), "the line is marked: \(app.screen)")

        // From the family: only its own lines.
        app.press(.escape)
        #expect(app.model.screens.last?.family?.file.family.id == family.id, "\(app.screen)")
        app.run(.searchWritten)
        app.type("the")
        screen = try #require(app.model.screens.last.flatMap { if case .searchWritten(let s) = $0 { s } else { nil } })
        #expect(!screen.hits.isEmpty && screen.hits.allSatisfy { $0.family == family.id })
    }

    /// A worker finds nothing in families they may not see; what they find is theirs.
    @Test func aWorkerFindsOnlyWhatTheyMaySee() throws {
        let lead = try AppHarness(families: 30)
        let worker = try AppHarness(families: 30, login: "alys")
        let everything = try lead.store.searchWritten("the", limit: 100_000)
        let mine = try worker.store.searchWritten("the", limit: 100_000)
        let visible = Set(worker.store.caseload().map(\.familyID))
        #expect(mine.total > 0 && mine.total < everything.total)
        #expect(mine.hits.allSatisfy { visible.contains($0.family) })
        let other = try #require(lead.store.caseload().first { !visible.contains($0.familyID) })
        #expect(throws: StoreError.accessDenied(family: other.familyID.raw)) { try worker.store.searchWritten("the", family: other.familyID) }
    }

    /// The index is kept sealed on disk, and read back from there at the next session.
    @Test func theIndexOnDiskIsSealedAndReadBack() throws {
        let app = try AppHarness(families: 20)
        let row = try #require(app.store.caseload().first)
        try app.store.save([Fixture.note(row.familyID, id: "NOTESEAL00000001", text: "Quillfeather hidden-note-text-7731 was here")], family: row.familyID)
        #expect(try app.store.searchWritten("hidden note text 7731").total == 1)
        try app.store.flushIndex()
        let path = app.store.textIndexFile.path
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        for word in ["Quillfeather", "hidden-note-text-7731", "boiler"] { #expect(bytes.firstRange(of: Array(word.utf8)) == nil) }
        let login = app.store.user.login
        app.store.close()
        let reopened = try Store.open(at: app.root, login: login, passphrase: DemoStore.passphrase)
        defer { reopened.close() }
        #expect(try reopened.searchWritten("hidden note text").total == 1)
    }

    @Test(arguments: [Strings.Language.en, .cy]) func searchGoldens(_ language: Strings.Language) throws {
        let app = try AppHarness(families: 20, language: language)
        app.run(.searchWritten)
        assertSnapshot(app.screen, named: "written-empty-\(language)-80x24")
        app.type("ysgol")
        assertSnapshot(app.screen, named: "written-results-\(language)-80x24")
    }
}
