import Testing
import KithApp
import KithCore
import KithStore
import KithTestSupport
import KithUI

@Suite struct FailedAttemptsNoticeTests {
    @Test func theStatusLineSaysHowManyWrongPassphrasesWereTyped() throws {
        let test = TestStore()
        try test.create().close()
        let effects = LiveEffects(storePath: test.root, isDemo: false, strings: .shipped(.en), clock: test.clock.storeClock, today: { Fixture.today })
        for _ in 0..<3 {
            #expect(effects.perform(.unlock(login: "worker", passphrase: "a wrong passphrase here")).first?.failed != nil)
        }
        let messages = effects.perform(.unlock(login: "worker", passphrase: TestStore.passphrase))
        let notices = try #require(messages.lazy.compactMap { if case .unlocked(_, _, _, let notices) = $0 { notices } else { nil } }.first)
        #expect(notices.first == "Wrong passphrases typed for you since your last unlock: 3. If that wasn't you, tell your team lead.")
        effects.store?.close()
    }
}
