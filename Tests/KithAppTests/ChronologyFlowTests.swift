import Foundation
import Testing
import KithApp
import KithCore
import KithDemo
import KithStore
@testable import KithUI
import KithTestSupport

/// The chronology: significant events in date order, on screen and printed; a note marked
/// significant goes in it; the timeline shows one kind of record at a time.
@Suite(.serialized) struct ChronologyFlowTests {
    /// Every event a chronology must hold, counted here from the records themselves.
    @Test(arguments: [7, 23] as [UInt64]) func itHoldsExactlyTheSignificantEventsInDateOrder(seed: UInt64) throws {
        let directory = TemporaryDirectory("kith-chronology")
        let store = try DemoStore.create(at: directory.file("store"), families: 30, seed: seed, today: Fixture.today, kdf: .fastForTests, clock: TestClock().storeClock)
        defer { store.close() }
        for row in store.caseload() {
            let file = try store.readCase(row.familyID)
            let chronology = Chronology(file, strings: .shipped(.en), instruments: InstrumentLibrary())
            let entries = chronology.entries
            #expect(entries.map(\.day) == entries.map(\.day).sorted(), "oldest first")
            func count(_ kind: Chronology.Kind) -> Int { entries.filter { $0.kind == kind }.count }
            #expect(count(.opened) == 1)
            #expect(count(.assessment) == file.assessments.values.filter(\.isComplete).count)
            #expect(count(.plan) == file.plans.count)
            #expect(count(.safetyPlan) == file.safetyPlans.values.filter { $0.status != .draft }.count)
            #expect(count(.meeting) == file.meetings.count)
            #expect(count(.review) == file.reviews.count)
            #expect(count(.closure) == file.closures.count)
            let steps = zip(file.family.serviceLevelHistory, file.family.serviceLevelHistory.dropFirst()).filter { $0.level != $1.level }.count
            #expect(count(.levelChange) == steps)
            #expect(count(.significantNote) == file.notes.values.filter(\.isSignificant).count)
            #expect(Set(entries.map(\.ref)).isSubset(of: Set(file.values.keys)))
        }
    }

    /// A note marked significant goes in the chronology; the chronology is printed.
    @Test func aSignificantNoteIsInThePrintedChronology() throws {
        let app = try AppHarness(families: 20)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family).file
        app.run(.addNote)
        try app.focus("text")
        app.type("Chronology test: Dad moved back into the home.")
        try app.focus("significant")
        app.press(.char(" "))
        app.press(.ctrl("s"), .char("s"))
        #expect(app.screen.contains("Contact note saved."), "\(app.screen)")
        let note = try #require(try app.store.readCase(family.family.id).notes.values.first { $0.text.hasPrefix("Chronology test") })
        #expect(note.isSignificant)
        // An ordinary note is not in it.
        app.run(.addNote)
        try app.focus("text")
        app.type("An ordinary call.")
        app.press(.ctrl("s"), .char("s"))

        app.run(.chronology)
        #expect(app.screen.contains("Chronology"), "\(app.screen)")
        let record = try #require(app.model.screens.last?.record)
        // Lines wrap where the screen makes them: read it as running text.
        let text = record.lines.flatMap { $0.segments.map(\.0) }.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Chronology test: Dad moved back into the home."))
        #expect(!text.contains("An ordinary call."))
        #expect(text.contains("Opened for early help"))
        app.run(.printRecord)
        app.press(.char("h"))
        let folder = app.effects.printDirectory
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".html") }, "a printout was written")
        let path = "\(folder)/\(name)"
        let html = try String(contentsOfFile: path, encoding: .utf8)
        // Printed in the family's language, as every printout.
        #expect(html.contains((family.family.language == .welsh ? "Cronoleg: " : "Chronology: ") + family.family.displayName))
        #expect(html.contains("Chronology test: Dad moved back into the home."))
        #expect(try app.store.readCase(family.family.id).events.contains { $0.action == .print && $0.entity == family.familyRef })
    }

    /// `F` shows one kind of record on the timeline at a time, then everything again.
    @Test func theTimelineShowsOneKindAtATime() throws {
        let app = try AppHarness(families: 20)
        app.run(.open)
        let all = try #require(app.model.screens.last?.family).timeline
        let kinds = RecordKind.allCases.filter { kind in all.contains { $0.ref.kind == kind } }
        #expect(kinds.count >= 2)
        for kind in kinds {
            app.run(.filterTimeline)
            let family = try #require(app.model.screens.last?.family)
            #expect(family.section == .timeline)
            #expect(family.timelineKind == kind)
            #expect(family.timeline.map(\.ref) == all.filter { $0.ref.kind == kind }.map(\.ref))
        }
        app.run(.filterTimeline)
        #expect(try #require(app.model.screens.last?.family).timeline.map(\.ref) == all.map(\.ref))
        #expect(app.screen.contains("every kind of record"))
    }

    @Test(arguments: [Strings.Language.en, .cy]) func chronologyGoldens(_ language: Strings.Language) throws {
        let app = try AppHarness(families: 40, language: language)
        app.run(.open)
        app.run(.chronology)
        assertSnapshot(app.screen, named: "chronology-\(language)-80x24")
    }
}
