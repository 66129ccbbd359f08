import Foundation
import Testing
import KithCore
@testable import KithUI
import KithTestSupport

@Suite(.serialized) struct AssessmentFlowTests {
    /// The whole strengths and needs assessment, keyboard only: 30 ratings, each with an
    /// evidence note, the family's view and the child's voice, then completion.
    @Test func aWholeAssessmentWithTheKeyboardOnly() throws {
        let app = try AppHarness(families: 12)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family)
        let before = family.file.assessments.count
        app.run(.newAssessment)
        #expect(app.screen.contains("New assessment"))
        var keystrokes = 0
        func press(_ keys: Key...) { keystrokes += keys.count; app.press(keys) }
        func type(_ text: String) { keystrokes += text.count; app.type(text) }
        let started = Date()
        press(.ctrl("s"))                                   // start with the suggested instrument
        #expect(app.screen.contains("Rated 0/30"))
        for n in 0..<30 {
            press(.char(Character(String(1 + n % 5))))     // the rating
            press(.down)                                    // to its evidence
            type("Seen at home \(n)")
            press(.tab)                                     // to the next item
        }
        #expect(app.screen.contains("Rated 30/30"))
        type("We are doing better.")
        press(.tab)
        type("I like it when Nain comes.")
        let elapsed = Date().timeIntervalSince(started)
        press(.ctrl("r"))
        #expect(app.screen.contains("Summary"))
        #expect(app.screen.contains("30/30") || app.screen.contains("10/10 rated"))
        press(.ctrl("t"))
        #expect(app.screen.contains("Complete this assessment?"))
        press(.char("c"))
        let after = try #require(app.model.screens.last?.family)
        #expect(after.file.assessments.count == before + 1)
        let saved = try #require(after.file.assessments.values.first { $0.familyView == "We are doing better." })
        #expect(saved.isComplete)
        #expect(saved.ratings.count == 30)
        #expect(saved.ratings["child.health"] == ItemRating(rating: .value(1), evidence: "Seen at home 0"))
        #expect(saved.childVoice == "I like it when Nain comes.")
        #expect(app.store.drafts().isEmpty)
        let drafts = app.effectsPerformed.filter { if case .saveDraft = $0 { true } else { false } }.count
        print("assessment: \(keystrokes) keystrokes for 30 rated items with notes; \(String(format: "%.0f", elapsed * 1000)) ms to process them (debug build); \(drafts) draft writes")
        #expect(keystrokes < 700)
        #expect(drafts > 30, "every finished field reached the draft")
    }

    @Test func aCompletedAssessmentCannotChangeCorrectionsAreAddenda() throws {
        let app = try AppHarness(families: 12)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family)
        let completed = try #require(family.file.assessments.values.first { $0.isComplete })
        var edited = completed
        edited.summary = "changed afterwards"
        let messages = app.effects.perform(.save(SaveRequest(Request(RequestID("x")), family: family.file.family.id, records: [edited], draftID: nil)))
        let message = try #require(messages.first?.failed)
        #expect(message.text.contains("cannot be changed"))
        // Open it from the timeline and add an addendum.
        app.run(.nextSection); app.run(.nextSection); app.run(.nextSection); app.run(.nextSection); app.run(.nextSection); app.run(.nextSection)
        let timeline = try #require(app.model.screens.last?.family)
        let row = try #require(timeline.timeline.firstIndex(where: { $0.ref == completed.ref }))
        for _ in 0..<row { app.press(.down) }
        app.press(.enter)
        #expect(app.screen.contains("Summary"))
        app.run(.addAddendum)
        app.type("The rating for health should read 2, not 3.")
        app.press(.ctrl("s"), .char("s"))            // save for good
        let file = try app.store.openCase(family.file.family.id)
        #expect(file.addenda.values.contains { $0.target == completed.ref && $0.text.hasPrefix("The rating for health") })
        #expect(file.assessments[completed.id] == completed)
    }

    @Test func previousRatingsShowBesideEachItem() throws {
        let app = try AppHarness(families: 12)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family)
        let last = try #require(family.file.latestCompleted(instrument: "kith.strengths-needs"))
        let before = try #require(last.ratings["child.health"]?.rating.value, "the first family's child.health is rated")
        app.run(.newAssessment)
        app.press(.ctrl("s"))
        #expect(app.screen.contains("was \(before)"))
        app.press(.char(Character(String(before == 1 ? 2 : 1))))
        #expect(app.screen.contains(before == 1 ? "was 1 · worse" : "was \(before) · better"))
    }

    @Test func nextUnratedAndDomainJump() throws {
        let app = try AppHarness(families: 12)
        app.run(.open)
        app.run(.newAssessment)
        app.press(.ctrl("s"))
        app.press(.char("3"))
        app.press(.ctrl("n"))
        let screen = try #require(app.model.screens.last?.assessment)
        #expect(screen.draft.form.focus == "r:child.emotional")
        app.press(.ctrl("d"))
        #expect(app.screen.contains("Jump to a domain"))
        app.press(.char("3"))
        let jumped = try #require(app.model.screens.last?.assessment)
        #expect(jumped.draft.form.focus == "r:family.housing")
        app.press(.ctrl("g"))
        #expect(app.screen.contains("ⓘ"))
    }

    @Test func welshShowsTheInstrumentInWelsh() throws {
        let app = try AppHarness(families: 12, language: .cy)
        app.run(.open)
        app.run(.newAssessment)
        #expect(app.screen.contains("Asesiad newydd"))
        app.press(.ctrl("s"))
        #expect(app.screen.contains("Datblygiad y plentyn"))
        #expect(app.screen.contains("Iechyd a datblygiad corfforol"))
        app.press(.char("2"))
        #expect(app.screen.contains("Peth cryfder"))
    }

    /// An agency's own definition with every scale type, rated through the screen.
    @Test func everyScaleTypeRatesThroughTheScreen() throws {
        let app = try AppHarness(families: 12)
        var model = app.loop.model
        model.context.instruments = InstrumentLibrary(agencyFiles: [("agency.toml", Fixture.everyScaleInstrument)])
        #expect(model.context.instruments.problems.isEmpty)
        app.replaceModel(model)
        app.run(.open)
        app.run(.newAssessment)
        app.press(.enter)                                   // open the instrument list
        app.type("Every")
        app.press(.enter)
        app.press(.ctrl("s"))
        #expect(app.screen.contains("Rated 0/7"))
        app.press(.char("3"), .tab, .tab)                   // bipolar: third option (+2)
        app.press(.char("3"), .tab, .tab)                   // action level, need: 3
        app.press(.char("1"), .tab, .tab)                   // action level, strength polarity: 1
        app.press(.char("1"), .char("0"), .tab, .tab)       // journey: 10
        app.press(.char("0"), .tab, .tab)                   // judgement: 0
        app.press(.char("4"), .tab, .tab)                   // status: 4
        app.press(.char("u"), .tab, .tab)                   // checklist: unknown
        app.type("A narrative in the family's words.")
        app.press(.ctrl("t"), .char("c"))
        let family = try #require(app.model.screens.last?.family)
        let saved = try #require(family.file.assessments.values.first { $0.instrumentID == "agency.every-scale" })
        #expect(saved.rating("bi") == .value(2))
        #expect(saved.rating("need") == .value(3))
        #expect(saved.rating("strength") == .value(1))
        #expect(saved.rating("journey") == .value(10))
        #expect(saved.rating("judge") == .value(0))
        #expect(saved.rating("status") == .value(4))
        #expect(saved.rating("check") == .unknown)
        #expect(saved.ratings["story"]?.evidence == "A narrative in the family's words.")
        #expect(saved.instrumentVersion == 3)
    }
}
