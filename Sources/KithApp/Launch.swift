import Foundation
import KithCore
import KithDemo
import KithStore
import KithUI

/// How Kith was started, from the command line.
public struct LaunchOptions: Sendable {
    public var storePath: String?
    public var login: String?
    public var passphraseFile: String?
    public var demo = false
    /// `worker` opens the demo as a worker; anything else as the team lead.
    public var demoAs: String?
    public var demoFamilies = 200
    public var seed: UInt64?
    public var language: Strings.Language?
    public var theme = "default"
    public var noColor = false

    public init() {}
}

/// Everything decided before the terminal is taken over: which store, whether it is
/// already unlocked (scripted passphrase, demo), what the first screen is.
public struct PreparedLaunch {
    public var effects: LiveEffects
    public var firstScreen: Screen
    public var initialMessage: AppMessage?
    public var storePath: String
    public var isDemo: Bool
    public var strings: Strings
    public var logPath: String
    public var today: Day

    /// Lines to print after the terminal is given back (how to reopen a demo store).
    public var farewell: [String] {
        guard isDemo else { return [] }
        return [strings("demo.farewell", ["path": storePath, "passphrase": DemoStore.passphrase])]
    }
}

public enum Launch {
    public static func today(_ seconds: Double = Date().timeIntervalSince1970) -> Day {
        Day(secondsSince1970: seconds, utcOffsetSeconds: TimeZone.current.secondsFromGMT())
    }

    public static func strings(_ options: LaunchOptions, environment: [String: String]) -> Strings {
        Strings.shipped(options.language ?? Strings.Language.fromEnvironment(environment))
    }

    /// Reads a passphrase from a file (first line; the file should be 0600).
    public static func readPassphrase(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.io(file: path, operation: "readPassphraseFile", reason: "cannotRead")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }

    /// Prepares the store. Errors (locked store, wrong scripted passphrase) are thrown so
    /// they print on the normal terminal, before the screen is taken over.
    public static func prepare(_ options: LaunchOptions, environment: [String: String]) throws -> PreparedLaunch {
        let strings = strings(options, environment: environment)
        let today = today()
        if options.demo {
            var template = Array((NSTemporaryDirectory() + "kith-demo-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else { throw StoreError.notWritable(path: NSTemporaryDirectory()) }
            let directory = String(cString: made)
            let root = "\(directory)/store"
            let seed = options.seed ?? UInt64.random(in: 1...UInt64.max)
            var store = try DemoStore.create(at: root, families: options.demoFamilies, seed: seed, today: today)
            if options.demoAs == "worker" {
                store.close()
                store = try Store.open(at: root, login: DemoStore.workerLogins[0], passphrase: DemoStore.passphrase)
            }
            let effects = LiveEffects(storePath: root, store: store, isDemo: true, strings: strings, today: { Launch.today() })
            return PreparedLaunch(effects: effects, firstScreen: .unlock(UnlockScreen(storePath: root, users: [])),
                                  initialMessage: effects.unlockedMessage(), storePath: root, isDemo: true, strings: strings,
                                  logPath: "\(directory)/kith.log", today: today)
        }
        let root = options.storePath ?? StoreLayout.defaultRoot(environment: environment)
        let effects = LiveEffects(storePath: root, isDemo: false, strings: strings, today: { Launch.today() })
        let stateHome = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(environment["HOME"] ?? ".")/.local/state"
        let logDirectory = "\(stateHome)/kith"
        try? FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let logPath = "\(logDirectory)/kith.log"
        guard Store.exists(at: root) else {
            let context = AppContext(strings: strings, theme: .builtIn(depth: .monochrome), size: .minimum, now: Date().timeIntervalSince1970, today: today)
            return PreparedLaunch(effects: effects, firstScreen: .form(FormScreen(purpose: .setupStore, file: nil, context: context)),
                                  initialMessage: nil, storePath: root, isDemo: false, strings: strings, logPath: logPath, today: today)
        }
        let slots = try Store.userSlots(at: root)
        let preferred = options.login ?? slots.first(where: { $0.role == .teamLead })?.login ?? slots.first?.login
        if let file = options.passphraseFile {
            let login = options.login ?? (slots.count == 1 ? slots[0].login : preferred) ?? ""
            let passphrase = try readPassphrase(file)
            let messages = effects.perform(.unlock(login: login, passphrase: passphrase))
            if case .failed(let message)? = messages.first { throw LaunchError(message: message.text) }
            return PreparedLaunch(effects: effects, firstScreen: .unlock(UnlockScreen(storePath: root, users: [])), initialMessage: messages.first,
                                  storePath: root, isDemo: false, strings: strings, logPath: logPath, today: today)
        }
        let users = slots.map { UnlockUser(login: $0.login, role: $0.role) }
        return PreparedLaunch(effects: effects, firstScreen: .unlock(UnlockScreen(storePath: root, users: users, preferred: preferred)),
                              initialMessage: nil, storePath: root, isDemo: false, strings: strings, logPath: logPath, today: today)
    }

    /// The application model for a prepared launch, ready for the program loop.
    public static func model(_ prepared: PreparedLaunch, theme: Theme, size: Size, warnings: [String], seed: UInt64? = nil) -> AppModel {
        let now = Date().timeIntervalSince1970
        let library = InstrumentLibrary(agencyFiles: agencyInstrumentFiles(prepared.storePath))
        let context = AppContext(strings: prepared.strings, theme: theme, size: size, now: now, today: prepared.today, instruments: library)
        var model = seed.map { AppModel(context: context, screens: [prepared.firstScreen], seed: $0) }
            ?? AppModel(context: context, screens: [prepared.firstScreen])
        if let message = prepared.initialMessage { _ = model.update(message) }
        for problem in library.problems { model.notify(problem.description, severity: .warning) }
        for warning in warnings { model.notify(warning, severity: .warning) }
        if prepared.isDemo, model.status == nil {
            model.notify(prepared.strings("demo.banner", ["passphrase": DemoStore.passphrase]), severity: .info)
        }
        return model
    }

    /// An agency's own instrument definition files from the store's `instruments/` folder.
    public static func agencyInstrumentFiles(_ root: String) -> [(name: String, text: String)] {
        let directory = StoreLayout(root: root).instruments
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted().compactMap { name in
            FileManager.default.contents(atPath: "\(directory)/\(name)").map { (name, String(decoding: $0, as: UTF8.self)) }
        }
    }
}

public struct LaunchError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
