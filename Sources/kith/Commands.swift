import ArgumentParser
import Foundation
import KithApp
import KithCore
import KithDemo
import KithHub
import KithStore
import KithUI

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a store and its first user.")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The team's name.") var team = "Early Help Team"
    @Option(help: "The first user's login name.") var login: String?
    @Option(help: "The first user's full name.") var name: String?
    @Option(help: "team-lead, worker or admin.") var role = "team-lead"

    func run() throws {
        umask(0o077)
        let s = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
        let userRole = parseRole(role, otherwise: .teamLead)
        // The first user is a person: asked for when someone is there to answer, never
        // made up. Without a terminal, --login (or --user) is required.
        let interactive = Terminal.isInteractive
        var login = self.login ?? storeOptions.user ?? ""
        var name = self.name ?? ""
        do {
            if login.isEmpty {
                guard interactive else { throw LaunchError(message: s("cli.init.needLogin")) }
                let suggested = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty || $0 == "root" ? nil : $0 }
                login = try Terminal.ask(s(suggested == nil ? "cli.init.login" : "cli.init.loginDefault", ["login": suggested ?? ""]), default: suggested)
                guard !login.isEmpty else { throw LaunchError(message: s("cli.init.needLogin")) }
            }
            if name.isEmpty { name = interactive ? try Terminal.ask(s("cli.init.name", ["login": login]), default: login) : login }
        } catch { throw fail(error) }
        let passphrase: String
        do {
            if let file = storeOptions.passphraseFile {
                passphrase = try Launch.readPassphrase(file)
            } else {
                passphrase = try Terminal.askNewSecret(s("cli.passphrase.new", ["login": login, "n": String(Store.minimumPassphraseLength)]), login: login, strings: s)
            }
        } catch { throw fail(error) }
        do {
            let store = try Store.create(at: storeOptions.root, teamName: team,
                                         firstUser: .init(login: login, displayName: name, role: userRole), passphrase: passphrase)
            store.close()
            print(s("cli.init.created", ["path": storeOptions.root, "login": login, "name": name]))
        } catch { throw fail(error) }
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a synthetic store for training, demonstrations and benchmarks.")

    @Option(help: "Where to create it (default: $XDG_DATA_HOME/kith).") var store: String?
    @Option(help: "How many families.") var families = 200
    @Option(help: "The seed: the same seed and day make the same store.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("The day the data is made relative to (YYYY-MM-DD; default today).", valueName: "date")) var today: String?

    func run() throws {
        umask(0o077)
        let root = store ?? StoreLayout.defaultRoot(environment: ProcessInfo.processInfo.environment)
        guard let day = today.map({ Day(iso: $0) }) ?? Launch.today() else { throw ValidationError("--today must be YYYY-MM-DD") }
        let started = Date()
        do {
            let created = try DemoStore.create(at: root, families: families, seed: seed, today: day)
            created.close()
        } catch { throw fail(error) }
        let seconds = Date().timeIntervalSince(started)
        let size = directorySize(root)
        let s = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
        print(s("cli.demo.created", ["n": String(families), "path": root, "seconds": String(format: "%.1f", seconds), "size": String(size / 1024)]))
        print(s("cli.demo.users", ["lead": DemoStore.leadLogin, "workers": DemoStore.workerLogins.joined(separator: ", "), "admin": DemoStore.adminLogin,
                                   "passphrase": DemoStore.passphrase]))
    }
}

func directorySize(_ root: String) -> Int {
    var total = 0
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let name = enumerator?.nextObject() as? String {
        total += (try? FileManager.default.attributesOfItem(atPath: "\(root)/\(name)")[.size] as? Int) ?? 0
    }
    return total
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify every record, the index, the drafts and the audit trail.",
        discussion: """
        Repairs what can be repaired without losing anything (a write cut short by a crash, \
        a damaged second copy) and reports everything it found. A family whose file is \
        missing or damaged stays reported until it is put back or its loss accepted with \
        `kith repair`.

        Exit codes: 0 — no problems, or only routine repairs; 1 — problems that need a \
        person (see `kith repair`); 2 — the check could not run (no store, wrong \
        passphrase, store in use).
        """)

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store: Store
        do { store = try storeOptions.open() } catch { throw fail(error, code: 2) }
        defer { store.close() }
        let report = store.check()
        let strings = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
        print(strings("cli.check.summary", ["families": String(report.families), "events": String(report.events), "records": String(report.records),
                                            "drafts": String(report.drafts), "audit": String(report.auditEntries), "users": String(report.users)]))
        for problem in report.problems { print((problem.isSerious ? "PROBLEM " : "repaired ") + ErrorPresenter.notice(problem, strings: strings)) }
        // Drafts this Kith can't read are kept; they need a person (or another Kith) to read them.
        // (Others' drafts sealed with keys this user doesn't hold are theirs to read.)
        let unreadable = DraftReading.read(store.allDrafts().filter(\.isReadable)).unreadable
        for draft in unreadable { print("PROBLEM " + draft.message(strings, naming: true)) }
        // Plain-text copies Kith should have removed by now (it does at the next unlock).
        for old in Printing.kept(in: "\(store.layout.root)/printouts") where old.days > Printing.keptDays {
            print(strings("cli.check.oldPrintout", ["file": "printouts/\(old.name)", "days": String(old.days),
                                                   "command": "kith repair --remove-printouts"]))
        }
        if report.isClean && unreadable.isEmpty {
            print(report.problems.isEmpty ? "No problems." : "No serious problems.")
        } else {
            throw ExitCode(1)
        }
    }
}

struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put back a family's damaged file from quarantine/, or accept its loss (team leads).",
        discussion: """
        Without options, lists the families whose file is missing or damaged and the copies \
        kept in quarantine/ that can put each back. Every repair is recorded in the audit trail.

        Exit codes: 0 — nothing left to repair; 1 — damaged families remain.
        """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: ArgumentHelp("Put a family's log back from this quarantined copy (as listed).", valueName: "quarantine/file"))
    var restore: String?
    @Option(help: ArgumentHelp("Accept that this family's file is lost (its reference, e.g. K-7Q3M2X).", valueName: "ref"))
    var acceptLoss: String?
    @ArgumentParser.Flag(help: "Accept the gaps found in the audit trail, once you know what happened.")
    var acceptAuditGap = false
    @ArgumentParser.Flag(help: "Remove every printout Kith keeps in the store's printouts/ folder now.")
    var removePrintouts = false

    func run() throws {
        let strings = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
        let store: Store
        do { store = try storeOptions.open() } catch { throw fail(error) }
        defer { store.close() }
        do {
            if let restore {
                let id = try store.restore(from: restore)
                print(strings("repair.restored", ["reference": Family.reference(for: id), "file": restore]))
            }
            if let acceptLoss {
                guard let id = (Array(store.damagedFamilies.keys) + Array(store.familiesWithEntriesSetAside.keys)).first(where: {
                    Family.reference(for: $0).uppercased() == acceptLoss.uppercased() || $0.raw == acceptLoss
                }) else { throw StoreError.noSuchFamily(id: acceptLoss) }
                try store.acceptLoss(of: id)
                print(strings("repair.lossAccepted", ["reference": Family.reference(for: id)]))
            }
            if acceptAuditGap {
                try store.acceptAuditGaps()
                print(strings("repair.auditGapAccepted"))
            }
            if removePrintouts {
                let removed = Printing.removeOld(in: "\(store.layout.root)/printouts", all: true)
                print(strings("repair.printoutsRemoved", ["n": String(removed)]))
            }
        } catch { throw fail(error) }
        for gap in store.auditGaps {
            print(strings("repair.auditGap", ["from": String(gap.lowerBound), "to": String(gap.upperBound),
                                              "command": "kith repair --accept-audit-gap"]))
        }
        for (id, count) in store.familiesWithEntriesSetAside.sorted(by: { $0.key < $1.key }) {
            let reference = Family.reference(for: id)
            print(strings("repair.entriesSetAside", ["reference": reference, "n": String(count),
                                                     "command": "kith repair --accept-loss \(reference)"]))
        }
        let damaged = store.damagedFamilies
        if damaged.isEmpty && store.auditGaps.isEmpty && store.familiesWithEntriesSetAside.isEmpty {
            print(strings("repair.nothing"))
            return
        }
        let candidates = store.restoreCandidates()
        for id in damaged.keys.sorted() {
            let reference = Family.reference(for: id)
            print(strings("repair.damaged", ["reference": reference, "file": "families/\(id.raw).log"]))
            let copies = candidates.filter { $0.family == id }
            for copy in copies {
                print("  " + strings("repair.candidate", ["file": copy.file, "n": String(copy.entries)]))
            }
            if let best = copies.first {
                print("  " + strings("repair.suggestRestore", ["command": "kith repair --restore \(best.file)"]))
            } else {
                print("  " + strings("repair.noCopy", ["command": "kith repair --accept-loss \(reference)"]))
            }
        }
        throw ExitCode(1)
    }
}

struct Print: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a safety plan or family plan for the family (md, html or txt).")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: ArgumentHelp("The family's reference (e.g. K-7Q3M2X).", valueName: "ref")) var family: String
    @Option(help: ArgumentHelp("A record id, or safety-plan, plan or meeting for the current one.", valueName: "id")) var record: String
    @Option(help: "md, html or txt.") var format = "html"
    @Option(help: ArgumentHelp("Write to this file (default: standard output).", valueName: "file")) var output: String?
    @Option(help: ArgumentHelp("Print in en or cy (default: the family's language).", valueName: "code")) var lang: String?
    @ArgumentParser.Flag(help: "Welsh and English side by side (html), or one after the other.") var bilingual = false
    @Option(name: .customLong("for"), help: ArgumentHelp("Share it with this agency: the family's consent to share with it must be in force.", valueName: "agency"))
    var agency: String?

    func validate() throws {
        if let agency, agency.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--for needs the agency's name") }
        guard Printing.Format(rawValue: format) != nil else { throw ValidationError("--format must be md, html or txt") }
        if let lang, Strings.Language(rawValue: lang) == nil { throw ValidationError("--lang must be en or cy") }
    }

    func run() throws {
        let store: Store
        do { store = try storeOptions.open(readOnly: true) } catch { throw fail(error) }
        defer { store.close() }
        do {
            guard let row = store.family(reference: family) else { throw StoreError.noSuchFamily(id: family) }
            // (Printing records the view; finding the record first records nothing.)
            let file = try store.readCase(row.familyID)
            guard let ref = Printing.resolve(record, in: file) else { throw StoreError.noSuchFamily(id: record) }
            let request = PrintRequest(family: row.familyID, record: ref, format: format, bilingual: bilingual,
                                       sharedWith: agency?.trimmingCharacters(in: .whitespaces))
            var (text, _) = try Printing.render(request, store: store, today: Launch.today(), language: lang.flatMap(Strings.Language.init(rawValue:)))
            // Case text never reaches a terminal (or a text file) as control sequences.
            if format != "html" { text = TextSanitizer.text(text) }
            if let output {
                try FileIO(root: store.layout.root).writeForPerson(output, Array(text.utf8))
                let s = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
                FileHandle.standardError.write(Data((s("cli.print.wrote", ["path": output]) + "\n").utf8))
            } else {
                print(text, terminator: "")
            }
        } catch { throw fail(error) }
    }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self, List.self, Phone.self, Deactivate.self, Reset.self])

    struct Phone: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a work phone, printed for families under \"Who to call\" (your own; team leads: anyone's).")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The work phone number.") var phone: String
        @Option(help: ArgumentHelp("Whose phone (default: yours).", valueName: "login")) var login: String?

        func run() throws {
            try storeOptions.withStore { store, s in
                try store.setPhone(phone, for: login)
                print(s("cli.users.phoneSet", ["login": login ?? store.user.login]))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Who can unlock the store: login, name, role, last unlock (team leads and admins).")

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            try storeOptions.withStore(readOnly: true) { store, s in
                let rows = try store.userList().map { entry -> [String] in
                    let last = entry.lastUnlock.map { s.dateTime(Double($0) / 1000) + " UTC" } ?? s("cli.users.never")
                    let role = s(entry.user.role.labelKey) + (entry.user.active ? "" : " (" + s("cli.users.inactive") + ")")
                    return [TextSanitizer.line(entry.user.login), TextSanitizer.line(entry.user.displayName), role, last]
                }
                let header = [s("cli.users.login"), s("cli.users.name"), s("cli.users.role"), s("cli.users.lastUnlock")]
                let widths = (0..<header.count).map { column in ([header] + rows).map { DisplayWidth.of($0[column]) }.max() ?? 0 }
                for row in [header] + rows {
                    print(row.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - DisplayWidth.of($1)) }
                        .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
                }
            }
        }
    }

    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deactivate a user who leaves: they can no longer unlock (team leads and admins).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The login of the user who leaves.") var login: String?
        @Option(name: .customLong("login"), help: ArgumentHelp("The same, as an option.", visibility: .hidden)) var loginOption: String?

        func validate() throws {
            if (login ?? loginOption) == nil { throw ValidationError("name the user: kith user deactivate LOGIN") }
        }

        func run() throws {
            let login = login ?? loginOption ?? ""
            try storeOptions.withStore { store, s in
                try store.deactivateUser(login: login)
                print(s("cli.users.deactivated", ["login": login]))
                // Their hub access ends now if the hub can be reached, else at the next sync.
                guard let hub = try store.hubSettings(), let id = store.users.values.first(where: { $0.login == login })?.id.raw else { return }
                let address = try HubAddress.parse(hub.url)
                switch withHub(address, password: hub.password, { connection in try await HubSync.deactivate([id], on: connection) }) {
                case .success:
                    print(s("cli.users.hubEnded", ["login": login]))
                case .failure(let error as HubError) where error.isOffline:
                    print(s("cli.users.hubLater", ["login": login]))
                case .failure(let error):
                    throw error
                }
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a user who forgot their passphrase a new one, with a new key (team leads and admins).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The login of the user who forgot their passphrase.") var login: String
        @Option(help: ArgumentHelp("Read their new passphrase from this file.", valueName: "file")) var newPassphraseFile: String?

        func run() throws {
            let store: Store
            do { store = try storeOptions.open() } catch { throw fail(error) }
            defer { store.close() }
            do {
                let s = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
                let passphrase = try newPassphraseFile.map(Launch.readPassphrase)
                    ?? Terminal.askNewSecret(s("cli.passphrase.reset", ["login": login, "n": String(Store.minimumPassphraseLength)]), login: login, strings: s)
                try store.resetUser(login: login, passphrase: passphrase)
                print(s("cli.users.reset", ["login": login]))
            } catch { throw fail(error) }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with their own passphrase (team leads and admins).")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The new user's login name.") var login: String
        @Option(help: "The new user's full name.") var name: String
        @Option(help: "worker, team-lead or admin.") var role = "worker"
        @Option(help: ArgumentHelp("Read the new user's first passphrase from this file.", valueName: "file")) var newPassphraseFile: String?

        func run() throws {
            let store: Store
            do { store = try storeOptions.open() } catch { throw fail(error) }
            defer { store.close() }
            let userRole = parseRole(role, otherwise: .worker)
            do {
                let s = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
                let passphrase = try newPassphraseFile.map(Launch.readPassphrase)
                    ?? Terminal.askNewSecret(s("cli.passphrase.first", ["login": login, "n": String(Store.minimumPassphraseLength)]), login: login, strings: s)
                try store.addUser(login: login, displayName: name, role: userRole, passphrase: passphrase)
                print(s("cli.users.added", ["login": login]))
            } catch { throw fail(error) }
        }
    }
}

struct Passwd: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Change your passphrase (only your key slot changes).")

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: ArgumentHelp("Read the new passphrase from this file.", valueName: "file")) var newPassphraseFile: String?

    func run() throws {
        let root = storeOptions.root
        let slots = try Store.userSlots(at: root)
        let login = storeOptions.user ?? slots.first?.login ?? ""
        let s = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
        do {
            let old = try storeOptions.passphraseFile.map(Launch.readPassphrase) ?? Terminal.askSecret(s("cli.passphrase.current", ["login": login]))
            let store = try Store.open(at: root, login: login, passphrase: old)
            defer { store.close() }
            let new = try newPassphraseFile.map(Launch.readPassphrase)
                ?? Terminal.askNewSecret(s("cli.passphrase.new", ["login": login, "n": String(Store.minimumPassphraseLength)]), login: login, strings: s)
            try store.changePassphrase(old: old, new: new)
            print(s("cli.passphrase.changed", ["login": login]))
        } catch { throw fail(error) }
    }
}

struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "team", abstract: "The team's details for printouts; invitations to join.", subcommands: [Set.self, Invite.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the team's name, office phone and out-of-hours number (team leads).")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "The team's name.") var name: String?
        @Option(help: "The team office's phone.") var phone: String?
        @Option(name: .customLong("out-of-hours"), help: "The out-of-hours number families can call.") var outOfHours: String?
        @Option(name: .customLong("idle-lock"), help: "Minutes without a key before Kith locks itself (1 to 60; default 10).") var idleLock: Int?

        func validate() throws {
            if let idleLock, !Team.idleLockRange.contains(idleLock) { throw ValidationError("--idle-lock must be 1 to 60 minutes") }
        }

        func run() throws {
            try storeOptions.withStore { store, s in
                try store.updateTeam(name: name, phone: phone, outOfHours: outOfHours, idleLockMinutes: idleLock)
                let team = store.team
                print(s("cli.team.set", ["name": team?.name ?? "", "phone": team?.phone ?? "—", "outOfHours": team?.outOfHours ?? "—",
                                         "minutes": String(team?.idleLockMinutes ?? Team.defaultIdleLockMinutes)]))
            }
        }
    }
}

extension StoreOptions {
    /// Opens the store, runs `body` with it and the strings of the user's language, and
    /// closes it; any error becomes a message on stderr and a non-zero exit.
    func withStore(readOnly: Bool = false, _ body: (Store, Strings) throws -> Void) throws {
        let strings = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
        let store: Store
        do { store = try open(readOnly: readOnly) } catch { throw fail(error) }
        defer { store.close() }
        do { try body(store, strings) } catch { throw fail(error) }
    }
}
