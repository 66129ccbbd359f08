import ArgumentParser
import Foundation
import KithApp
import KithCore
import KithTerminal
import KithUI

/// The full-screen application (the default command).
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "Open Kith (the default).")

    @OptionGroup var storeOptions: StoreOptions

    @ArgumentParser.Flag(name: .long, help: "Open a fresh synthetic store (about 200 families) in a temporary folder, unlocked as the team lead.")
    var demo = false

    @Option(name: .long, help: ArgumentHelp("With --demo: open it as a 'worker' or the 'lead' (default).", valueName: "role"))
    var demoAs: String?

    @Option(name: .long, help: ArgumentHelp("With --demo: how many families.", valueName: "n"))
    var families = 200

    @Option(name: .long, help: ArgumentHelp("With --demo: the seed (the same seed makes the same families).", valueName: "n"))
    var seed: UInt64?

    @Option(name: .long, help: ArgumentHelp("Theme name or .toml file (default, high-contrast, monochrome…).", valueName: "name"))
    var theme = "default"

    @Option(name: .long, help: ArgumentHelp("Language: en or cy (default from LANG).", valueName: "code"))
    var lang: String?

    @ArgumentParser.Flag(name: .long, help: "No colours (also when NO_COLOR is set).")
    var noColor = false

    func validate() throws {
        if let lang, Strings.Language(rawValue: lang) == nil { throw ValidationError("--lang must be en or cy") }
        if let demoAs, !["worker", "lead"].contains(demoAs) { throw ValidationError("--demo-as must be worker or lead") }
    }

    func run() throws {
        umask(0o077)
        let environment = ProcessInfo.processInfo.environment
        var options = LaunchOptions()
        options.storePath = storeOptions.store
        options.login = storeOptions.user
        options.passphraseFile = storeOptions.passphraseFile
        options.demo = demo || demoAs != nil
        options.demoAs = demoAs
        options.demoFamilies = families
        options.seed = seed
        options.language = lang.flatMap(Strings.Language.init(rawValue:))
        options.theme = theme
        options.noColor = noColor || !(environment["NO_COLOR"] ?? "").isEmpty
        let directories = ThemeLoader.directories(environment: environment, executable: CommandLine.arguments[0])
        guard ThemeLoader.exists(options.theme, directories: directories) else {
            let strings = Strings.shipped(options.language ?? .fromEnvironment(environment))
            let names = ThemeDefinition.shipped.keys.sorted().joined(separator: ", ")
            throw fail(LaunchError(message: strings("error.unknownTheme", ["name": options.theme, "names": names])), code: 2)
        }
        let prepared: PreparedLaunch
        do { prepared = try Launch.prepare(options, environment: environment) } catch { throw fail(error) }

        let terminal = NcursesTerminal(options: .init(logPath: prepared.logPath, noColor: options.noColor))
        let (loaded, warnings) = ThemeLoader.load(name: options.theme, depth: terminal.colorDepth, directories: directories)
        let model = Launch.model(prepared, theme: loaded, size: terminal.size, warnings: warnings)
        let hooked = environment["KITH_TEST_CRASH"] == "1" || environment["KITH_EXIT_AFTER_FIRST_PAINT"] == "1"
        let backend: any TerminalBackend = hooked ? TestHooks(terminal, crashOnF12: environment["KITH_TEST_CRASH"] == "1",
                                                               exitAfterFirstPaint: environment["KITH_EXIT_AFTER_FIRST_PAINT"] == "1") : terminal
        KithLog.write("started (\(prepared.isDemo ? "demo" : "store"))")
        let loop = ProgramLoop(model: model, backend: backend, clock: { Date().timeIntervalSince1970 }, inBackground: true,
                               perform: prepared.effects.perform)
        loop.run()
        prepared.effects.store?.close()
        KithLog.write("stopped")
        terminal.restore()
        for line in prepared.farewell { print(line) }
    }
}

/// Hooks for the real-terminal tests and start-up timing, off unless asked for:
/// `KITH_TEST_CRASH=1` makes F12 stop the program with a fatal error (to show the terminal
/// is restored and the message readable); `KITH_EXIT_AFTER_FIRST_PAINT=1` quits as soon as
/// the first screen is painted (to time exec → first paint).
final class TestHooks: TerminalBackend {
    let inner: NcursesTerminal
    let crashOnF12: Bool
    let exitAfterFirstPaint: Bool
    var painted = false

    init(_ inner: NcursesTerminal, crashOnF12: Bool, exitAfterFirstPaint: Bool) {
        self.inner = inner
        self.crashOnF12 = crashOnF12
        self.exitAfterFirstPaint = exitAfterFirstPaint
    }

    var size: Size { inner.size }
    var colorDepth: ColorDepth { inner.colorDepth }
    var isExhausted: Bool { false }

    func present(_ frame: CellBuffer, previous: CellBuffer?) {
        inner.present(frame, previous: previous)
        painted = true
    }

    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        if exitAfterFirstPaint && painted { return .signal(.terminate) }
        let event = inner.nextEvent(timeoutMilliseconds: timeoutMilliseconds)
        if crashOnF12 && event == .key(.function(12)) { fatalError("test crash requested with F12") }
        return event
    }
}
