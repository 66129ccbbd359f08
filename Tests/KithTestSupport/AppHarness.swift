import Foundation
import Testing
import KithApp
import KithCore
import KithDemo
import KithStore
import KithUI

/// The whole application on a synthetic store in a temporary directory: the real model,
/// the real program loop and the real store, with a recording backend and a clock that
/// moves only when told. Keys go in; the screen comes out as text.
public final class AppHarness {
    public let directory: TemporaryDirectory
    public let clock: TestClock
    public let effects: LiveEffects
    public let backend: RecordingBackend
    public let loop: ProgramLoop<AppModel>
    /// Every effect the model asked for, in order.
    public private(set) var performed: [AppEffect] = []
    public var root: String { "\(directory.path)/store" }

    /// A demo store of `families` families (seed 7, made relative to `Fixture.today`),
    /// unlocked as `login` ("ceri" is the team lead, "alys" a worker).
    public init(families: Int = 40, seed: UInt64 = 7, login: String = DemoStore.leadLogin, size: Size = Size(width: 80, height: 24),
                language: Strings.Language = .en, existing: String? = nil) throws {
        directory = TemporaryDirectory("kith-app")
        clock = TestClock()
        let root = existing ?? "\(directory.path)/store"
        var store: Store
        if existing == nil {
            store = try DemoStore.create(at: root, families: families, seed: seed, today: Fixture.today, kdf: .fastForTests, clock: clock.storeClock)
            if login != DemoStore.leadLogin {
                store.close()
                store = try AppHarness.open(root, login: login, clock: clock)
            }
        } else {
            store = try AppHarness.open(root, login: login, clock: clock)
        }
        let strings = Strings.shipped(language)
        let effects = LiveEffects(storePath: root, store: store, isDemo: true, strings: strings, clock: clock.storeClock, today: { Fixture.today })
        self.effects = effects
        backend = RecordingBackend(size: size, colorDepth: .monochrome)
        let context = AppContext(strings: strings, theme: .builtIn(depth: .monochrome), size: size, now: clock.seconds, today: Fixture.today)
        var model = AppModel(context: context, screens: [.unlock(UnlockScreen(storePath: root, users: []))], seed: 42)
        _ = model.update(effects.unlockedMessage())
        model.status = nil
        let log = PerformedLog()
        performedLog = log
        loop = ProgramLoop(model: model, backend: backend, clock: { [clock] in clock.seconds }, perform: { effect in
            log.effects.append(effect)
            return effects.perform(effect)
        })
    }

    private let performedLog: PerformedLog

    /// Opens a store another session of this process has just closed. Tests run beside
    /// others that start processes, and a child forked at the moment the last holder
    /// closed keeps the directory's lock until it execs: try again for up to two seconds.
    static func open(_ root: String, login: String, clock: TestClock) throws -> Store {
        for _ in 0..<40 {
            do {
                return try Store.open(at: root, login: login, passphrase: DemoStore.passphrase, clock: clock.storeClock)
            } catch {
                guard case .locked = error else { throw error }
                usleep(50_000)
            }
        }
        return try Store.open(at: root, login: login, passphrase: DemoStore.passphrase, clock: clock.storeClock)
    }

    final class PerformedLog: @unchecked Sendable { var effects: [AppEffect] = [] }

    public var effectsPerformed: [AppEffect] { performedLog.effects }

    public var model: AppModel { loop.model }

    /// Replaces the top screen (to put the cursor somewhere directly).
    public func replaceTop(_ screen: Screen) {
        var model = loop.model
        model.replaceTop(screen)
        loop.replaceModel(model)
    }

    /// Replaces the model (to change the context, e.g. the instrument library).
    public func replaceModel(_ model: AppModel) { loop.replaceModel(model) }
    public var store: Store { effects.store! }

    /// Presses keys one by one, each followed by a tick (as the real loop does).
    public func press(_ keys: Key...) { press(keys) }

    public func press(_ keys: [Key]) {
        for key in keys {
            loop.send(.terminal(.key(key)))
            loop.send(.tick(clock.seconds))
        }
    }

    /// Types text (newlines become Enter).
    public func type(_ text: String) { press(Key.typing(text)) }

    public func paste(_ text: String) {
        loop.send(.terminal(.paste(text)))
        loop.send(.tick(clock.seconds))
    }

    /// Runs a command through the top screen's keymap (its first key).
    public func run(_ command: Command, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let key = model.top?.keymap.merged(with: .global).keys(for: command).first else {
            Issue.record("no key for \(command) on this screen:\n\(screen)", sourceLocation: sourceLocation)
            return
        }
        press(key)
    }

    /// Opens the first family on the caseload, starts a contact note and types `text` into
    /// what happened (the steps many tests begin with).
    public func startNote(_ text: String) {
        run(.open)
        run(.addNote)
        press(.tab, .tab, .tab, .tab)
        type(text)
    }

    /// Lets time pass and delivers a tick (autosave, expiring messages).
    public func wait(_ seconds: Double) {
        clock.advance(seconds)
        loop.send(.tick(clock.seconds))
    }

    public func resize(_ size: Size) {
        backend.script = [.resize(size)]
        _ = backend.nextEvent(timeoutMilliseconds: 0)
        loop.send(.terminal(.resize(size)))
    }

    /// The screen as text (trailing spaces trimmed).
    public var screen: String { loop.render().text }
    public var frame: CellBuffer { loop.render() }

    public func contains(_ text: String) -> Bool { loop.render().contains(text) }
}

extension AppHarness {
    /// The form on top (the test fails when another screen is).
    public func form(sourceLocation: SourceLocation = #_sourceLocation) throws -> FormScreen {
        try #require(model.screens.last?.form, "\(screen)", sourceLocation: sourceLocation)
    }

    /// Puts the form's cursor on a field, as Tab would.
    public func focus(_ field: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var screen = try form(sourceLocation: sourceLocation)
        screen.focus(on: field, viewport: Size(width: 80, height: 20))
        replaceTop(.form(screen))
    }

    /// Picks in a choice field by typing part of an option, as a person does.
    public func choose(_ field: String, _ typed: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try focus(field, sourceLocation: sourceLocation)
        press(.enter); type(typed); press(.enter)
    }
}
