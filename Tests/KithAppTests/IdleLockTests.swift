import Testing
import KithApp
import KithCore
import KithDemo
import KithTestSupport
import KithUI

/// Case records don't stay on an unattended screen.
@Suite struct IdleLockTests {
    @Test func afterTenMinutesWithoutAKeyNothingOfTheFamilyShowsUntilThePassphrase() throws {
        let app = try AppHarness(families: 12)
        app.run(.open)
        let family = try #require(app.model.screens.last?.family)
        let name = family.file.family.displayName
        let child = try #require(family.file.people.values.first { $0.isChild }?.givenName)
        app.run(.addNote)
        app.press(.tab, .tab, .tab, .tab)
        app.type("Typed before the laptop was left")
        app.wait(599)
        #expect(app.model.lock == nil)
        #expect(app.contains("Typed before the laptop was left"))
        app.wait(2)
        #expect(app.model.lock != nil)
        #expect(app.contains("Locked after 10 minutes"))
        for hidden in [name, child, "Typed before the laptop was left"] {
            #expect(!app.screen.contains(hidden), "\(hidden) shows on the locked screen")
        }
        // The work was written as a draft before the lock
        #expect(app.store.drafts().count == 1)
        // A wrong passphrase keeps it locked
        app.type("not the passphrase")
        app.press(.enter)
        #expect(app.model.lock != nil)
        #expect(app.contains("not your passphrase"))
        // The right one brings back the form as it was
        app.type(DemoStore.passphrase)
        app.press(.enter)
        #expect(app.model.lock == nil)
        let form = try #require(app.model.screens.last?.form, "\(app.screen)")
        #expect(form.state.note("text") == "Typed before the laptop was left")
    }
}
