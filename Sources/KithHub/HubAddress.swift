import Foundation

/// Where the hub is and who connects: parsed from a `postgres://` URL as libpq writes
/// them — `postgres://USER@HOST:PORT/DATABASE`, or a local socket as
/// `postgres://USER@%2Fvar%2Frun%2Fpostgresql/DATABASE` or `postgres:///DATABASE?host=/dir`.
///
/// A password never goes in the URL (it would sit in shell history and the process list):
/// it comes from the encrypted store, a prompt or a file. A host other than this machine
/// is reached only over TLS.
public struct HubAddress: Sendable, Equatable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The socket file itself (`DIR/.s.PGSQL.PORT`).
        case socket(path: String)
    }

    public var endpoint: Endpoint
    public var user: String
    public var database: String
    /// TLS is used (always for a host that isn't this machine).
    public var tls: Bool

    public init(endpoint: Endpoint, user: String, database: String, tls: Bool) {
        self.endpoint = endpoint
        self.user = user
        self.database = database
        self.tls = tls
    }

    /// The URL without secrets, for messages and the store's settings.
    public var description: String {
        switch endpoint {
        case .tcp(let host, let port): "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        case .socket(let path): "postgres://\(user)@\(Self.encode(Self.directory(of: path)))/\(database)?port=\(Self.port(of: path))"
        }
    }

    /// The endpoint alone, for "unreachable" messages.
    public var endpointDescription: String {
        switch endpoint {
        case .tcp(let host, let port): "\(host):\(port)"
        case .socket(let path): path
        }
    }

    /// The same hub as another user (a member's own account).
    public func asUser(_ user: String) -> HubAddress {
        var copy = self
        copy.user = user
        return copy
    }

    static let loopback: Set<String> = ["localhost", "127.0.0.1", "::1"]

    public static func parse(_ text: String) throws(HubError) -> HubAddress {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased()) else { throw .badURL(reason: "scheme") }
        if components.password != nil { throw .badURL(reason: "password") }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }) ?? query["user"], !user.isEmpty else {
            throw .badURL(reason: "user")
        }
        let database = String(components.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw .badURL(reason: "database") }
        var port = 5432
        if let p = components.port ?? query["port"].flatMap(Int.init) {
            guard (1...65535).contains(p) else { throw .badURL(reason: "port") }
            port = p
        }
        let host = (components.percentEncodedHost?.removingPercentEncoding).flatMap { $0.isEmpty ? nil : $0 } ?? query["host"] ?? "/var/run/postgresql"
        let sslmode = query["sslmode"]?.lowercased()
        if host.hasPrefix("/") {
            return HubAddress(endpoint: .socket(path: "\(host)/.s.PGSQL.\(port)"), user: user, database: database, tls: false)
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        // Loopback never leaves this machine; anything else is encrypted or refused.
        let local = loopback.contains(bare.lowercased())
        if !local && sslmode == "disable" { throw .badURL(reason: "plainText") }
        let tls = !local || sslmode == "require" || sslmode == "verify-full"
        return HubAddress(endpoint: .tcp(host: bare, port: port), user: user, database: database, tls: tls)
    }

    static func directory(of socket: String) -> String {
        (socket as NSString).deletingLastPathComponent
    }

    static func port(of socket: String) -> String {
        String(socket.split(separator: ".").last ?? "5432")
    }

    static func encode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? path
    }
}
