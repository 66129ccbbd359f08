import Foundation
import Logging
import PostgresNIO
import Synchronization

/// One connection to the hub. Every call turns PostgreSQL's and the network's errors
/// into a `HubError`; nothing from the server's messages (which can quote values) is
/// kept but its SQLSTATE and the name of what refused.
///
/// Every call is bounded in time: a network that goes quiet (a laptop's Wi-Fi dropping
/// mid-query, a server that stops answering) closes the connection and ends the call with
/// `connectionLost` instead of waiting for ever.
public final class HubConnection: Sendable {
    let connection: PostgresConnection
    let logger: Logger
    public let address: HubAddress
    /// Seconds a call may take before the connection is given up.
    public let timeout: Double

    init(connection: PostgresConnection, logger: Logger, address: HubAddress, timeout: Double) {
        self.connection = connection
        self.logger = logger
        self.address = address
        self.timeout = timeout
    }

    /// Connects as `address.user` with `password` (nil: none, as a local socket with peer
    /// or trust authentication allows).
    public static func open(_ address: HubAddress, password: String?, timeout: Double = 20) async throws(HubError) -> HubConnection {
        // postgres-nio logs at debug and trace only; Kith's own log says what matters.
        let logger = Logger(label: "kith.hub", factory: { _ in SwiftLogNoOpLogHandler() })
        var configuration: PostgresConnection.Configuration
        let tls: PostgresConnection.Configuration.TLS
        if address.tls {
            do {
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            } catch {
                throw .refused(code: "tls", detail: "context")
            }
        } else {
            tls = .disable
        }
        switch address.endpoint {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: address.user, password: password, database: address.database, tls: tls)
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: address.user, password: password, database: address.database)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(timeout * 1000))
        let settings = configuration
        let connection = try await bounded(timeout, address: address, onTimeout: {}) {
            try await PostgresConnection.connect(configuration: settings, id: 1, logger: logger)
        }
        return HubConnection(connection: connection, logger: logger, address: address, timeout: timeout)
    }

    /// Runs statements that return nothing.
    package func execute(_ sql: String) async throws(HubError) {
        _ = try await rows(PostgresQuery(unsafeSQL: sql))
    }

    /// Runs a query and hands back its rows.
    package func rows(_ query: PostgresQuery) async throws(HubError) -> [PostgresRow] {
        guard !connection.isClosed else { throw .connectionLost }
        let connection = self.connection, logger = self.logger
        return try await HubConnection.bounded(timeout, address: address, onTimeout: { try? await connection.close() }) {
            var rows: [PostgresRow] = []
            for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
            return rows
        }
    }

    /// `work`, or `connectionLost` once `seconds` pass without an answer (after
    /// `onTimeout`, which closes the connection so the work itself ends too). The caller
    /// never waits on work that ignores being given up (a connect stuck mid-handshake
    /// while the server restarts): it is left to end on its own.
    static func bounded<T: Sendable>(_ seconds: Double, address: HubAddress, onTimeout: @escaping @Sendable () async -> Void,
                                     _ work: @escaping @Sendable () async throws -> T) async throws(HubError) -> T {
        let race = Race<T>()
        do {
            return try await withCheckedThrowingContinuation { continuation in
                race.start(continuation)
                let worker = Task {
                    let outcome: Result<T, any Error>
                    do { outcome = .success(try await work()) } catch { outcome = .failure(error) }
                    race.finish(outcome)
                }
                let timer = Task {
                    try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                    if race.finish(.failure(HubError.connectionLost)) {
                        worker.cancel()
                        await onTimeout()
                    }
                }
                race.onFinish { timer.cancel() }
            }
        } catch {
            throw translate(error, address: address)
        }
    }

    /// Closes the connection, waiting at most five seconds for the server to hear it.
    public func close() async {
        let connection = self.connection
        _ = try? await HubConnection.bounded(5, address: address, onTimeout: {}) { try await connection.close() }
    }

    /// Runs `body` in one transaction: all of it, or (on any error) none of it.
    func transaction<T: Sendable>(_ body: (HubConnection) async throws(HubError) -> T) async throws(HubError) -> T {
        try await execute("BEGIN")
        do {
            let result = try await body(self)
            try await execute("COMMIT")
            return result
        } catch {
            try? await execute("ROLLBACK")
            throw error
        }
    }

    static func translate(_ error: any Error, address: HubAddress) -> HubError {
        if let error = error as? HubError { return error }
        if error is CancellationError { return .connectionLost }
        guard let error = error as? PSQLError else {
            return .unreachable(endpoint: address.endpointDescription)
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?????"
            if state == "28P01" || state == "28000" { return .authentication(user: address.user) }
            if state == "3D000" { return .noDatabase(name: address.database) }
            if state.hasPrefix("08") || state == "57P01" || state == "57P02" || state == "57P03" { return .connectionLost }
            let what = error.serverInfo?[.constraintName] ?? error.serverInfo?[.tableName] ?? ""
            return .refused(code: state, detail: what)
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return .connectionLost
        case .authMechanismRequiresPassword, .saslError, .unsupportedAuthMechanism:
            return .authentication(user: address.user)
        case .sslUnsupported:
            return .refused(code: "tls", detail: "unsupported")
        default:
            return .unreachable(endpoint: address.endpointDescription)
        }
    }
}

/// Whichever of a piece of work and its deadline ends first resumes the caller, once.
final class Race<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var done = false
        var onFinish: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Runs `body` once the race is decided (at once if it is).
    func onFinish(_ body: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.done { return true }
            state.onFinish = body
            return false
        }
        if now { body() }
    }

    /// Resumes the caller with `outcome` if nothing did before; whether this did.
    @discardableResult
    func finish(_ outcome: Result<T, any Error>) -> Bool {
        let (continuation, after) = state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            defer {
                state.continuation = nil
                state.onFinish = nil
            }
            return (state.continuation, state.onFinish)
        }
        guard let continuation else { return false }
        continuation.resume(with: outcome)
        after?()
        return true
    }
}
