import Testing
import KithApp
import KithCore
import KithTestSupport
@testable import KithUI

/// Every key a screen's keymap lists (and so its footer and help) does something there:
/// each is pressed from the same starting point, and the screen, the stack, a dialog, the
/// status line or the work asked of the store must show it.
@Suite struct KeymapWalkTests {
    /// Presses every listed key of the top screen (and the global ones, but quitting) from
    /// the app's current state; `idle` names commands that may rightly do nothing there.
    func walk(_ app: AppHarness, _ name: String, idle: [Command: String] = [:], idleKeys: [Key: String] = [:],
              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let start = app.model
        let keymap = try #require(start.top?.keymap, sourceLocation: sourceLocation).merged(with: .global)
        var pressed = 0
        for binding in keymap.bindings where binding.command != .quit {
            for key in binding.keys {
                app.replaceModel(start)
                // The text, and where the cursor rests (a moved selection shows only there in monochrome).
                let before = app.screen, focus = app.frame.focus, effects = app.effectsPerformed.count
                app.press(key)
                let after = app.model
                let handled = after.screens.count != start.screens.count || after.overlay != nil || after.status != nil
                    || app.screen != before || app.frame.focus != focus || app.effectsPerformed.count > effects
                pressed += 1
                if idle[binding.command] == nil && idleKeys[key] == nil {
                    #expect(handled, "\(name): \(key) (\(binding.command.rawValue)) did nothing", sourceLocation: sourceLocation)
                }
            }
        }
        app.replaceModel(start)
        #expect(pressed > 3, sourceLocation: sourceLocation)
    }

    @Test func everyListedKeyDoesSomethingOnEveryScreen() throws {
        let app = try AppHarness(families: 30)
        app.press(.down, .down)
        try walk(app, "caseload", idle: [.clearSearch: "nothing is being searched", .clearFilters: "no filter is on"])

        app.run(.open)
        app.press(.down)
        try walk(app, "family")

        app.run(.addNote)
        try walk(app, "contact note form", idle: [.addRow: "row keys act on row lists; on a choice they are ignored",
                                                  .removeRow: "row keys act on row lists; on a choice they are ignored"])
        app.press(.escape)

        app.run(.newAssessment)
        try walk(app, "assessment: choosing")
        app.press(.ctrl("s"))
        let rating = try #require(app.model.screens.last?.assessment, "\(app.screen)")
        #expect(rating.draft.phase == .rate, "\(app.screen)")
        try walk(app, "assessment: rating", idle: [.clearRating: "nothing is rated yet"], idleKeys: [.char("0"): "0 is not on a 1 to 5 scale"])
        app.run(.summary)
        try walk(app, "assessment: summary")
        app.press(.escape, .escape, .char("d"))

        app.run(.nextSection)
        while app.model.screens.last?.family?.section != .timeline { app.run(.nextSection) }
        app.press(.enter)
        _ = try #require(app.model.screens.last?.record, "\(app.screen)")
        try walk(app, "record", idle: [.moveUp: "the record fits the screen", .moveDown: "the record fits the screen",
                                       .pageUp: "the record fits the screen", .pageDown: "the record fits the screen"])
        app.press(.escape, .escape)

        // A worker's actions (the demo's team lead leads no family herself)
        let worker = try AppHarness(families: 30, login: "alys")
        worker.run(.myActions)
        worker.press(.char("a"), .down)
        #expect(!worker.contains("All 0"), "\(worker.screen)")
        try walk(worker, "my actions", idle: [.reopenAction: "the selected action is not done"])
    }

    @Test func theUnlockScreensKeysDoWhatItsHelpSays() throws {
        let context = AppContext(strings: Strings.shipped(.en), theme: .builtIn(depth: .monochrome), size: Size(width: 80, height: 24), now: 0,
                                 today: Fixture.today, ids: .seeded(1))
        var screen = UnlockScreen(storePath: "/nowhere", users: [UnlockUser(login: "a", role: .worker), UnlockUser(login: "b", role: .worker)])
        _ = screen.handle(.char("x"), context: context)
        #expect(screen.keymap.command(for: .down) == .moveDown)
        _ = screen.handle(.down, context: context)
        #expect(screen.selected == 1)
        _ = screen.handle(.up, context: context)
        #expect(screen.selected == 0)
        _ = screen.handle(.escape, context: context)
        #expect(screen.passphrase.text.isEmpty)
        _ = screen.handle(.char("p"), context: context)
        let actions = screen.handle(.enter, context: context)
        #expect(screen.unlocking)
        let request = try #require(actions.first?.effect?.unlockRequest, "Enter did not ask to unlock: \(actions)")
        #expect(request.login == "a" && request.passphrase == "p")
    }
}
