import ArgumentParser
import Foundation
import KithApp
import KithCore
import KithHub
import KithStore

/// `kith sync`: laptops of a team exchange their records as bundle files.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sync", abstract: "Exchange the team's records: through the team's hub, or with other laptops as bundle files.",
                                                    subcommands: [Hub.self, Export.self, Import.self, Status.self], defaultSubcommand: Hub.self)

    /// `kith sync`: laptop and hub brought up to date with each other.
    struct Hub: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hub",
            abstract: "Send what the hub hasn't seen and take in what is new there (the default of kith sync).",
            discussion: "Exit codes: 0 up to date; 1 an error; 3 the hub can't be reached (offline is normal: nothing is lost, try later).")

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            var offline = false
            try storeOptions.withStore { store, s in
                guard let settings = try store.hubSettings() else { throw LaunchError(message: s("cli.sync.noHub")) }
                let address = try HubAddress.parse(settings.url)
                let box = StoreBox(store)
                let outcome = withHub(address, password: settings.password) { connection in
                    try await HubSync.run(box.store, on: connection, settings: settings)
                }
                switch outcome {
                case .failure(let error as HubError) where error.isOffline:
                    print(ErrorPresenter.message(error, strings: s).text)
                    offline = true
                case .failure(let error):
                    throw error
                case .success(let report):
                    var saved = report.settings
                    saved.lastSync = Int64(Date().timeIntervalSince1970 * 1000)
                    try store.saveHubSettings(saved)
                    print(s("cli.sync.hubDone", ["sent": String(report.pushed), "received": String(report.merged.entries + report.merged.teamEntries + report.merged.grants + report.merged.registrations),
                                                 "families": String(report.merged.families.count)]))
                    let conflicts = store.caseload().reduce(0) { $0 + $1.conflicts }
                    if conflicts > 0 { print(s("cli.sync.conflicts", ["n": String(conflicts)])) }
                    if case .cut(let anchored, let found) = report.audit {
                        print(s("cli.sync.auditCut", ["anchored": String(anchored), "found": String(found)]))
                    }
                }
            }
            if offline { throw ExitCode(3) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a bundle of what another laptop hasn't seen (encrypted to the team's members, signed by you).")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("Write the bundle here (default: kith-LOGIN-DATE.kithbundle in this folder).", valueName: "file")) var to: String?
        @Option(name: .customLong("for"), help: ArgumentHelp("Only what this person's laptop hasn't seen, as last heard from.", valueName: "login")) var forLogin: String?
        @ArgumentParser.Flag(help: "Only what some laptop of the team hasn't seen, as last heard from (for a shared folder).") var team = false

        func validate() throws {
            if forLogin != nil && team { throw ValidationError("choose one of --for LOGIN and --team") }
        }

        func run() throws {
            try storeOptions.withStore { store, s in
                let target: BundleTarget = forLogin.map { .user(login: $0) } ?? (team ? .team : .everything)
                let (bytes, items) = try store.exportBundle(for: target, progress: Progress(s("cli.sync.reading")).report)
                let day = Day(secondsSince1970: Date().timeIntervalSince1970).iso
                let path = to ?? "kith-\(store.user.login)-\(day).kithbundle"
                let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
                let directory = (absolute as NSString).deletingLastPathComponent
                try FileIO(root: directory).writeAtomically(absolute, bytes)
                print(s("cli.sync.exported", ["file": path, "n": String(items), "size": ByteCountFormatter.string(fromByteCount: Int64(bytes.count), countStyle: .file)]))
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take in a bundle from another laptop of the team (checked whole first; the same bundle twice changes nothing).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The bundle file.") var file: String

        func run() throws {
            try storeOptions.withStore { store, s in
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw StoreError.io(file: file, operation: "read", reason: "cannot read")
                }
                let report = try store.importBundle(Array(data), file: (file as NSString).lastPathComponent,
                                                    progress: Progress(s("cli.sync.merging")).report)
                if report.isEmpty {
                    print(s("cli.sync.nothingNew"))
                } else {
                    print(s("cli.sync.imported", ["entries": String(report.entries), "families": String(report.families.count),
                                                  "other": String(report.teamEntries + report.grants + report.registrations)]))
                }
                let conflicts = store.caseload().reduce(0) { $0 + $1.conflicts }
                if conflicts > 0 { print(s("cli.sync.conflicts", ["n": String(conflicts)])) }
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What this laptop hasn't sent, and when each other laptop was last heard from.")

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            try storeOptions.withStore { store, s in
                let status = try store.syncStatus()
                let format = { (millis: Int64) in Day(secondsSince1970: Double(millis) / 1000).iso }
                if let last = status.lastExportMillis {
                    print(s("cli.sync.notSentSince", ["n": String(status.notSent), "day": format(last)]))
                } else {
                    print(s("cli.sync.neverSent", ["n": String(status.notSent)]))
                }
                if let hub = try store.hubSettings() {
                    let notSent = String(try store.hubOutgoing(since: hub.marks).items.count)
                    let host = (try? HubAddress.parse(hub.url))?.endpointDescription ?? "?"
                    if let last = hub.lastSync {
                        let when = Date(timeIntervalSince1970: Double(last) / 1000).formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
                        print(s("cli.sync.hubStatus", ["hub": host, "when": when, "n": notSent]))
                    } else {
                        print(s("cli.sync.hubNever", ["hub": host, "n": notSent]))
                    }
                }
                if status.peers.isEmpty { print(s("cli.sync.noPeers")) }
                for peer in status.peers {
                    let who = store.users[peer.user].map { "\($0.displayName) (\($0.login))" } ?? peer.user.raw
                    print(s("cli.sync.peer", ["who": TextSanitizer.line(who), "device": peer.device.raw, "day": format(peer.heardMillis)]))
                }
            }
        }
    }
}

/// Progress of a long export or import on standard error, when it is a terminal.
struct Progress {
    let label: String
    init(_ label: String) { self.label = label }

    var report: (Int, Int) -> Void {
        guard isatty(2) == 1 else { return { _, _ in } }
        let label = self.label
        return { done, total in
            guard total > 50, done == total || done % 50 == 0 else { return }
            FileHandle.standardError.write(Data("\r\(label) \(done)/\(total)\(done == total ? "\n" : "")".utf8))
        }
    }
}

/// `kith team invite`: a join file for someone's own laptop, and the code that opens it.
struct Invite: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a join file for a new member's own laptop, opened by a one-time code you tell them (team leads and admins).")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "Their login name.") var login: String
    @Option(help: "Their full name (for a new user).") var name: String?
    @Option(help: "worker, team-lead or admin (for a new user).") var role = "worker"
    @Option(help: ArgumentHelp("Write the join file here (default: kith-join-LOGIN.kithjoin in this folder).", valueName: "file")) var to: String?
    @ArgumentParser.Flag(help: "Leave the caseload out of the join file: the new laptop takes it from the team's hub (kith hub connect, then kith sync).")
    var hub = false

    func run() throws {
        umask(0o077)
        try storeOptions.withStore { store, s in
            let userRole = parseRole(role, otherwise: .worker)
            let invitation = try store.invite(login: login, displayName: name ?? login, role: userRole, caseload: !hub)
            let path = to ?? "kith-join-\(login).kithjoin"
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            try FileIO(root: (absolute as NSString).deletingLastPathComponent).writeAtomically(absolute, invitation.file)
            print(s("cli.invite.written", ["file": path, "login": login]))
            print(s("cli.invite.code", ["code": invitation.code]))
        }
    }
}

/// `kith join FILE`: this laptop becomes one of the team's.
struct Join: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Set up this laptop from a join file a team lead made for you (asks for its code and your new passphrase).")

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The join file.") var file: String
    @Option(help: ArgumentHelp("Read the join code from this file (for scripts).", valueName: "file")) var codeFile: String?

    func run() throws {
        umask(0o077)
        let s = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
        do {
            guard let data = FileManager.default.contents(atPath: file) else { throw StoreError.io(file: file, operation: "read", reason: "cannot read") }
            let code = try codeFile.map(Launch.readPassphrase) ?? Terminal.askSecret(s("cli.join.code"))
            let login = try Store.invitedLogin(file: Array(data), code: code)
            let passphrase = try storeOptions.passphraseFile.map(Launch.readPassphrase)
                ?? Terminal.askNewSecret(s("cli.passphrase.new", ["login": login, "n": String(Store.minimumPassphraseLength)]), login: login, strings: s)
            let store = try Store.join(at: storeOptions.root, file: Array(data), code: code, passphrase: passphrase)
            let families = store.caseload().count
            store.close()
            print(s("cli.join.done", ["path": storeOptions.root, "login": login, "n": String(families)]))
        } catch { throw fail(error) }
    }
}

/// The store, handed to the async work a command waits for (the command's thread is
/// blocked meanwhile, so only that work touches it).
final class StoreBox: @unchecked Sendable {
    let store: Store
    init(_ store: Store) { self.store = store }
}
