import ArgumentParser
import Dispatch
import Foundation
import KithApp
import KithCore
import KithHub
import KithStore

/// `kith hub`: the team hub on PostgreSQL, as its administrator sets it up.
struct HubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hub", abstract: "Set up and check a team hub on PostgreSQL.",
                                                    subcommands: [Init.self, Admit.self, Connect.self, Audit.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the hub's schema and roles in a database, or put back what drifted (run it again any time).",
            discussion: """
              Run it as a PostgreSQL superuser, or a role that owns the database and may create roles.
              With --check nothing is changed: each difference from what this Kith sets up is listed.

              Exit codes: 0 done (or, with --check, nothing differs); 1 differences found;
              2 the hub couldn't be reached or refused.
              """)

        @Option(help: ArgumentHelp("The database, as postgres://USER@HOST:PORT/DATABASE (no password in it; a local socket as postgres://USER@%2Fvar%2Frun%2Fpostgresql/DATABASE).", valueName: "url"))
        var url: String
        @Option(help: ArgumentHelp("Read the database user's password from this file (otherwise Kith asks).", valueName: "file"))
        var passwordFile: String?
        @ArgumentParser.Flag(help: "The server asks no password (a local socket with peer authentication).") var noPassword = false
        @ArgumentParser.Flag(help: "Only list what differs; change nothing.") var check = false

        func run() throws {
            let s = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
            let (address, password) = try administrator(url: url, passwordFile: passwordFile, noPassword: noPassword, strings: s)
            let check = self.check
            let outcome = withHub(address, password: password) { connection in
                if !check { try await Hub.initialize(connection) }
                return try await Hub.check(connection)
            }
            let schema = HubSchema(database: address.database)
            switch outcome {
            case .failure(let error):
                throw fail(error, code: 2)
            case .success(let drift) where drift.isEmpty:
                print(s(check ? "cli.hub.checkClean" : "cli.hub.initialized",
                        ["database": address.database, "endpoint": address.endpointDescription, "version": String(HubSchema.version), "laptop": schema.laptopRole]))
            case .success(let drift):
                print(s("cli.hub.drift", ["n": String(drift.count)]))
                for item in drift { print("  " + s("cli.hub.drift.\(item.kind)") + ": " + item.name) }
                throw ExitCode(1)
            }
        }
    }
}

extension HubCommand {
    /// `kith hub admit LOGIN`: a member's own login on the hub, made by its administrator.
    struct Admit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a member of your team their own login on the hub (prints a password to hand to them once).",
            discussion: "Run by the hub's administrator, on a store of the team (for the team's and the member's ids).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The member's login in Kith.") var login: String
        @Option(help: ArgumentHelp("The hub's database, as its administrator connects (postgres://ADMIN@HOST:PORT/DATABASE).", valueName: "url"))
        var url: String
        @Option(help: ArgumentHelp("Read the administrator's password from this file (otherwise Kith asks).", valueName: "file"))
        var passwordFile: String?
        @ArgumentParser.Flag(help: "The server asks no password (a local socket with peer authentication).") var noPassword = false

        func run() throws {
            var ids: (team: String, user: String, lead: Bool)?
            var strings = Strings.shipped(.fromEnvironment(ProcessInfo.processInfo.environment))
            try storeOptions.withStore(readOnly: true) { store, s in
                strings = s
                guard let member = store.users.values.first(where: { $0.login == login }) else { throw StoreError.unknownUser(login: login) }
                ids = (store.user.team.raw, member.id.raw, member.role == .teamLead || member.role == .admin)
            }
            guard let ids else { return }
            let s = strings
            let (address, adminPassword) = try administrator(url: url, passwordFile: passwordFile, noPassword: noPassword, strings: s)
            let password = HubCommand.newPassword()
            let outcome = withHub(address, password: adminPassword) { connection in
                try await Hub.admit(connection, team: ids.team, user: ids.user, lead: ids.lead, password: password)
            }
            switch outcome {
            case .failure(let error):
                throw fail(error, code: 2)
            case .success(let role):
                print(s("cli.hub.admitted", ["login": login, "role": role, "password": password,
                                             "url": address.asUser(role).description]))
            }
        }
    }

    /// `kith hub connect --url …`: this laptop's user and their hub.
    struct Connect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect your laptop to the team's hub (the address and password the hub's administrator gave you).",
            discussion: "The password is kept in the encrypted store, never in a file of its own. Then `kith sync` brings laptop and hub up to date.")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("Your login on the hub, as postgres://LOGIN@HOST:PORT/DATABASE.", valueName: "url")) var url: String
        @Option(help: ArgumentHelp("Read your hub password from this file (otherwise Kith asks).", valueName: "file")) var hubPasswordFile: String?

        func run() throws {
            try storeOptions.withStore { store, s in
                let address = try HubAddress.parse(url)
                let password = try hubPassword(file: hubPasswordFile, none: false, address: address, strings: s) ?? ""
                let version = try withHub(address, password: password) { connection in try await Hub.version(connection) }.get()
                guard version != nil else { throw HubError.notAHub }
                // The same hub again keeps how far this laptop has pulled.
                let cursor = (try? store.hubSettings()).flatMap { $0 }.flatMap { $0.url == address.description ? $0.cursor : nil } ?? 0
                try store.saveHubSettings(HubSettings(url: address.description, password: password, cursor: cursor))
                print(s("cli.hub.connected", ["url": address.description]))
            }
        }
    }

    /// `kith hub audit`: the team's laptops whose audit trail the hub found cut.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the team's laptops whose audit trail the hub found cut (shorter, or rewritten, since it was anchored).",
            discussion: "Each laptop's audit head is anchored on the hub at every sync. Exit codes: 0 none found; 1 an error; 3 the hub can't be reached; 4 cuts were found.")

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            var found = false, offline = false
            try storeOptions.withStore { store, s in
                guard let settings = try store.hubSettings() else { throw LaunchError(message: s("cli.sync.noHub")) }
                let address = try HubAddress.parse(settings.url)
                let cuts: [HubSync.AuditCut]
                switch withHub(address, password: settings.password, { connection in try await HubSync.auditCuts(on: connection) }) {
                case .failure(let error as HubError) where error.isOffline:
                    print(ErrorPresenter.message(error, strings: s).text)
                    offline = true
                    return
                case .failure(let error): throw error
                case .success(let read): cuts = read
                }
                let logins = Dictionary(uniqueKeysWithValues: store.users.map { ($0.key.raw, $0.value.login) })
                for cut in cuts {
                    let when = Date(timeIntervalSince1970: cut.at).formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
                    print(s("cli.hub.auditCut", ["when": when, "device": cut.device, "user": logins[cut.user] ?? cut.user,
                                                 "anchored": String(cut.anchored), "found": String(cut.found)]))
                }
                if cuts.isEmpty { print(s("cli.hub.auditNone")) }
                found = !cuts.isEmpty
            }
            if offline { throw ExitCode(3) }
            if found { throw ExitCode(4) }
        }
    }

    /// A password for a member's hub login: 24 characters of a 32-letter alphabet (120 bits).
    static func newPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }
}

/// The administrator's address and password, as `hub init` and `hub admit` take them;
/// what is wrong with either ends the command with exit code 2.
func administrator(url: String, passwordFile: String?, noPassword: Bool, strings s: Strings) throws -> (HubAddress, String?) {
    do {
        let address = try HubAddress.parse(url)
        return (address, try hubPassword(file: passwordFile, none: noPassword, address: address, strings: s))
    } catch {
        throw fail(error, code: 2)
    }
}

/// The database user's password: from a file, asked on the terminal, or none.
func hubPassword(file: String?, none: Bool, address: HubAddress, strings s: Strings) throws -> String? {
    if none { return nil }
    if let file {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw LaunchError(message: s("cli.hub.passwordFile", ["file": file]))
        }
        return text.trimmingCharacters(in: .newlines)
    }
    return try Terminal.askSecret(s("cli.hub.password", ["user": address.user, "endpoint": address.endpointDescription]))
}

/// Connects to the hub, runs `body`, closes the connection, and waits for all of it.
func withHub<T: Sendable>(_ address: HubAddress, password: String?,
                          _ body: @escaping @Sendable (HubConnection) async throws -> T) -> Result<T, any Error> {
    blocking {
        let connection: HubConnection
        do { connection = try await HubConnection.open(address, password: password) } catch { return .failure(error) }
        let result: Result<T, any Error>
        do { result = .success(try await body(connection)) } catch { result = .failure(error) }
        await connection.close()
        return result
    }
}

/// Runs async work from a command and waits for it (commands are synchronous).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = BlockingBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

/// Where `blocking` leaves the result (written before the semaphore is signalled, read
/// after it is waited on).
final class BlockingBox<T>: @unchecked Sendable {
    var value: T?
}
