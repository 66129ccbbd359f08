import Testing
import KithApp
import KithCore
import KithTestSupport
@testable import KithUI

/// A dialog's choice goes to the screen as it is when the choice is made, not to a copy
/// taken when the dialog opened.
@Suite struct DialogChoiceTests {
    @Test func aChoiceReachesTheLiveScreenNotTheOneThatOpenedTheDialog() throws {
        let app = try AppHarness(families: 12)
        app.run(.open)
        app.run(.newAssessment)
        app.press(.ctrl("s"))
        app.press(.char("3"), .tab)            // a rating, then its evidence
        app.type("Seen at the visit")           // typing: the draft is written within half a second
        let rated = try #require(app.model.screens.last?.assessment)
        #expect(rated.draftDirty)
        app.press(.ctrl("d"))
        #expect(app.screen.contains("Jump to a domain"))
        // While the dialog is up time passes: the live screen writes its draft.
        app.wait(1)
        let written = try #require(app.model.screens.last?.assessment)
        #expect(!written.draftDirty)
        #expect(written.lastDraftAt > rated.lastDraftAt)
        app.press(.char("3"))
        let jumped = try #require(app.model.screens.last?.assessment)
        #expect(jumped.draft.form.focus == "r:family.housing")
        // A copy from when the dialog opened would have brought back the unwritten state.
        #expect(!jumped.draftDirty)
        #expect(jumped.lastDraftAt == written.lastDraftAt)
    }

    @Test func aDialogChoiceGoesToTheScreenThatOpenedIt() throws {
        let app = try AppHarness(families: 12)
        app.startNote("Kept as a draft from the close dialog")
        app.press(.escape)
        let pending = try #require(app.model.overlay?.dialog, "\(app.screen)")
        #expect(pending.owner == app.model.screenIDs.last)
        #expect(pending.choices[.char("k")] == DialogChoice("keep"))
        app.press(.char("k"))
        #expect(app.model.screens.last?.family != nil)
        #expect(app.store.drafts().contains { $0.form == "form.title.contactNote" })
    }
}
