import ArgumentParser
import Foundation
import KithApp
import KithCore
import KithStore
import KithTerminal

/// Before any command runs: nothing Kith holds in memory (the data key, case text) may
/// end up in a core file or be read by another process of the same user.
@main
enum Entry {
    static func main() {
        if !ProcessHardening.forbidDumps() {
            let strings = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
            FileHandle.standardError.write(Data(("kith: " + strings("cli.dumpsNotOff") + "\n").utf8))
        }
        Kith.main()
    }
}

/// `kith`: the terminal application and its commands.
struct Kith: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "kith",
        abstract: "Case records for early-help work with children and families: offline, encrypted, keyboard-driven.",
        discussion: """
          Open Kith:          kith [--store PATH] [--user LOGIN] [--passphrase-file FILE]
                                   [--theme NAME] [--lang en|cy] [--no-color]
          Try it on a demo:   kith --demo [--demo-as worker]
          All options:        kith help open

          The store defaults to $XDG_DATA_HOME/kith (~/.local/share/kith).
          """,
        version: version,
        subcommands: [Open.self, Init.self, Demo.self, Check.self, Repair.self, Print.self, ExportCommand.self, AttachCommand.self, RetentionCommand.self, UserCommand.self, TeamCommand.self, SyncCommand.self, HubCommand.self, Join.self, Passwd.self, Bench.self],
        defaultSubcommand: Open.self
    )
}

/// Options every command that opens a store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store directory (default: $XDG_DATA_HOME/kith).", valueName: "path"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Unlock as this user (login name).", valueName: "login"))
    var user: String?

    @Option(name: .long, help: ArgumentHelp("Read the passphrase from this file (for scripts; keep it 0600).", valueName: "file"))
    var passphraseFile: String?

    var root: String { store ?? StoreLayout.defaultRoot(environment: ProcessInfo.processInfo.environment) }

    /// Opens the store: the given user, else the only user or the first team lead;
    /// the passphrase from the file or asked for on the terminal.
    /// Opens the store. `readOnly` commands open it beside a running Kith when it has the
    /// store open (saying so on stderr) instead of failing.
    func open(readOnly: Bool = false) throws -> Store {
        umask(0o077)
        let slots = try Store.userSlots(at: root)
        let login = user ?? (slots.count == 1 ? slots[0].login : slots.first { $0.role == .teamLead }?.login ?? slots.first?.login) ?? ""
        let strings = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
        let passphrase = try passphraseFile.map(Launch.readPassphrase) ?? Terminal.askSecret(strings("cli.passphrase.ask", ["login": login]))
        func told(_ store: Store) -> Store {
            if store.failedAttempts > 0 {
                FileHandle.standardError.write(Data((strings("status.failedAttempts", ["n": String(store.failedAttempts)]) + "\n").utf8))
            }
            return store
        }
        let held: Bool
        do { return told(try Store.open(at: root, login: login, passphrase: passphrase)) } catch {
            guard readOnly, case .locked = error else { throw error }
            held = true
        }
        let store = try Store.open(at: root, login: login, passphrase: passphrase, beside: held)
        FileHandle.standardError.write(Data((strings("cli.beside") + "\n").utf8))
        return told(store)
    }
}

/// Reports a failure on stderr in the user's language and exits non-zero (1, or `code`).
func fail(_ error: any Error, code: Int32 = 1) -> ExitCode {
    let strings = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
    let message: String
    if let launch = error as? LaunchError { message = launch.message } else {
        let presented = ErrorPresenter.message(error, strings: strings)
        message = presented.text
    }
    FileHandle.standardError.write(Data("kith: \(message)\n".utf8))
    return ExitCode(code)
}

/// A role as the commands take it (`team-lead`, `worker`, `admin`); anything else is `otherwise`.
func parseRole(_ option: String, otherwise: User.Role) -> User.Role {
    switch option {
    case "team-lead": .teamLead
    case "worker": .worker
    case "admin": .admin
    default: otherwise
    }
}
