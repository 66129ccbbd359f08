import Foundation
import Synchronization
import Testing
import KithApp
import KithCore
import KithDemo
import KithStore
import KithTestSupport
import KithUI

/// The real loop as the terminal runs it: effects on the worker, the screen painted meanwhile.
@Suite struct BackgroundWorkTests {
    @Test func unlockingIsPaintedWhileTheKeyIsDerived() throws {
        let directory = TemporaryDirectory("kith-background")
        let root = "\(directory.path)/store"
        let clock = TestClock()
        try DemoStore.create(at: root, families: 12, seed: 3, today: Fixture.today, kdf: .fastForTests, clock: clock.storeClock).close()
        let strings = Strings.shipped(.en)
        let effects = LiveEffects(storePath: root, isDemo: true, strings: strings, clock: clock.storeClock, today: { Fixture.today })
        let context = AppContext(strings: strings, theme: .builtIn(depth: .monochrome), size: Size(width: 80, height: 24), now: clock.seconds,
                                 today: Fixture.today, ids: .seeded(5))
        let users = try Store.userSlots(at: root).map { UnlockUser(login: $0.login, role: $0.role) }
        let model = AppModel(context: context, screens: [.unlock(UnlockScreen(storePath: root, users: users, preferred: DemoStore.leadLogin))])
        // The passphrase and Enter; deriving the key takes a while (a slow laptop).
        let backend = RecordingBackend(script: Key.typing(DemoStore.passphrase).map(TerminalEvent.key) + [.key(.enter)])
        let started = Mutex(false)
        let loop = ProgramLoop(model: model, backend: backend, clock: { clock.seconds }, inBackground: true) { effect in
            if case .unlock = effect {
                started.withLock { $0 = true }
                Thread.sleep(forTimeInterval: 0.3)
            }
            return effects.perform(effect)
        }
        loop.run()

        #expect(started.withLock { $0 })
        let texts = backend.frames.map(\.text)
        let unlocking = try #require(texts.firstIndex { $0.contains("Unlocking…") }, "no frame said Unlocking…")
        let caseload = try #require(texts.firstIndex { $0.contains("Team caseload") }, "the caseload never came")
        #expect(unlocking < caseload)
        #expect(loop.model.screens.last?.caseload != nil)
        effects.store?.close()
    }
}
