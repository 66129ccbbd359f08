import ArgumentParser
import Foundation
import KithApp
import KithCore
import KithDemo
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
        let userRole: User.Role = switch role { case "worker": .worker; case "admin": .admin; default: .teamLead }
        let login = self.login ?? storeOptions.user ?? ProcessInfo.processInfo.environment["USER"] ?? "lead"
        let passphrase: String
        if let file = storeOptions.passphraseFile {
            passphrase = try Launch.readPassphrase(file)
        } else {
            let first = try Terminal.askSecret("New passphrase for \(login) (at least \(Store.minimumPassphraseLength) characters): ")
            let second = try Terminal.askSecret("The same passphrase again: ")
            guard first == second else { throw fail(LaunchError(message: "the two passphrases differ; nothing was created")) }
            passphrase = first
        }
        do {
            let store = try Store.create(at: storeOptions.root, teamName: team,
                                         firstUser: .init(login: login, displayName: name ?? login, role: userRole), passphrase: passphrase)
            store.close()
            print("Created a store at \(storeOptions.root) for \(login). Open it with: kith --store \(storeOptions.root)")
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
        print("Created \(families) synthetic families at \(root) in \(String(format: "%.1f", seconds)) s (\(size / 1024) KiB on disk).")
        print("Users: \(DemoStore.leadLogin) (team lead), \(DemoStore.workerLogins.joined(separator: ", ")) (workers), \(DemoStore.adminLogin); passphrase \(DemoStore.passphrase)")
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
        print("Checked \(report.families) families, \(report.events) events, \(report.records) records, \(report.drafts) drafts, \(report.auditEntries) audit entries, \(report.users) users.")
        let strings = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
        for problem in report.problems { print((problem.isSerious ? "PROBLEM " : "repaired ") + ErrorPresenter.notice(problem, strings: strings)) }
        if report.isClean {
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

    func validate() throws {
        guard Printing.Format(rawValue: format) != nil else { throw ValidationError("--format must be md, html or txt") }
        if let lang, Strings.Language(rawValue: lang) == nil { throw ValidationError("--lang must be en or cy") }
    }

    func run() throws {
        let store: Store
        do { store = try storeOptions.open() } catch { throw fail(error) }
        defer { store.close() }
        do {
            guard let row = store.family(reference: family) else { throw StoreError.noSuchFamily(id: family) }
            let file = try store.openCase(row.familyID)
            guard let ref = Printing.resolve(record, in: file) else { throw StoreError.noSuchFamily(id: record) }
            let request = PrintRequest(family: row.familyID, record: ref, format: format)
            let (text, _) = try Printing.render(request, store: store, today: Launch.today(), language: lang.flatMap(Strings.Language.init(rawValue:)))
            if let output {
                try FileIO(root: store.layout.root).writeForPerson(output, Array(text.utf8))
                FileHandle.standardError.write(Data("Wrote \(output)\n".utf8))
            } else {
                print(text, terminator: "")
            }
        } catch { throw fail(error) }
    }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self])

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
            let userRole: User.Role = switch role { case "team-lead": .teamLead; case "admin": .admin; default: .worker }
            do {
                let passphrase = try newPassphraseFile.map(Launch.readPassphrase) ?? Terminal.askSecret("First passphrase for \(login): ")
                try store.addUser(login: login, displayName: name, role: userRole, passphrase: passphrase)
                print("Added \(login).")
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
        do {
            let old = try storeOptions.passphraseFile.map(Launch.readPassphrase) ?? Terminal.askSecret("Current passphrase for \(login): ")
            let store = try Store.open(at: root, login: login, passphrase: old)
            defer { store.close() }
            let new = try newPassphraseFile.map(Launch.readPassphrase) ?? Terminal.askSecret("New passphrase: ")
            try store.changePassphrase(old: old, new: new)
            print("Passphrase changed for \(login).")
        } catch { throw fail(error) }
    }
}
