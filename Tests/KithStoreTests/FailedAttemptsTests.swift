import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// Wrong passphrases are counted per login: after three in a row each try waits longer,
/// and the person who unlocks next is told how many there were.
@Suite struct FailedAttemptsTests {
    @Test func wrongPassphrasesAreCountedAndToldAtTheNextUnlock() throws {
        let test = TestStore()
        try test.create().close()
        for _ in 0..<2 {
            #expect(throws: StoreError.wrongPassphrase(login: "worker")) {
                try Store.open(at: test.root, login: "worker", passphrase: "not the passphrase at all")
            }
        }
        // Another user's count is their own.
        let lead = try test.open("lead")
        #expect(lead.failedAttempts == 0)
        lead.close()
        let worker = try test.open("worker")
        #expect(worker.failedAttempts == 2)
        worker.close()
        let again = try test.open("worker")
        #expect(again.failedAttempts == 0, "told once, then the count starts again")
        again.close()
        // Logins and counts only: nothing typed is kept.
        let kept = try String(contentsOfFile: StoreLayout(root: test.root).attempts, encoding: .utf8)
        #expect(!kept.contains("not the passphrase"))
    }

    @Test func eachTryAfterTheThirdWaitsLonger() {
        #expect((0...3).map(FailedAttempts.delay(after:)) == [0, 0, 0, 1])
        #expect(FailedAttempts.delay(after: 5) == 4)
        #expect(FailedAttempts.delay(after: 40) == 30)
    }
}
