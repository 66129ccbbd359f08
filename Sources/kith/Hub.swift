import ArgumentParser
import Dispatch
import Foundation
import KithApp
import KithCore
import KithHub

/// `kith hub`: the team hub on PostgreSQL, as its administrator sets it up.
struct HubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hub", abstract: "Set up and check a team hub on PostgreSQL.",
                                                    subcommands: [Init.self])

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
            let address: HubAddress
            let password: String?
            do {
                address = try HubAddress.parse(url)
                password = try hubPassword(file: passwordFile, none: noPassword, address: address, strings: s)
            } catch {
                throw fail(error, code: 2)
            }
            let check = self.check
            let outcome: Result<[Hub.Drift], HubError> = blocking {
                do {
                    let connection = try await HubConnection.open(address, password: password)
                    defer { Task { await connection.close() } }
                    if check { return .success(try await Hub.check(connection)) }
                    try await Hub.initialize(connection)
                    return .success(try await Hub.check(connection))
                } catch let error as HubError {
                    return .failure(error)
                } catch {
                    return .failure(.connectionLost)
                }
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
