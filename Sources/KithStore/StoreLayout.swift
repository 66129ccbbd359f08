import KithCore

/// Where each file of a store lives. The store is a directory (0700, files 0600).
public struct StoreLayout: Sendable, Hashable {
    public let root: String

    public init(root: String) {
        var path = root
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.root = path
    }

    public var manifest: String { "\(root)/store.json" }
    public var keys: String { "\(root)/keys.json" }
    public var device: String { "\(root)/device" }
    public var lock: String { "\(root)/lock" }
    /// Wrong passphrases typed since each user's last unlock (see `FailedAttempts`).
    public var attempts: String { "\(root)/attempts.json" }
    public var teamLog: String { "\(root)/team.log" }
    /// Which families the store holds (two copies: this and `families.reg.2`).
    public var registry: String { "\(root)/families.reg" }
    /// The caseload index of a store from before keys per family (one for everyone).
    public var index: String { "\(root)/index.bin" }
    /// One user's caseload index: only the families they may read, sealed with a key
    /// derived from their own identity.
    public func index(for user: String) -> String { "\(root)/index-\(user).bin" }
    /// Every family key, sealed to each user who may read the family (two copies).
    public var grants: String { "\(root)/grants.log" }
    public var audit: String { "\(root)/audit.log" }
    /// What each other laptop of the team last said it held, and what this one last sent.
    public var syncPeers: String { "\(root)/sync-peers.bin" }
    /// One user's hub: where, their login and password there, how far they have pulled.
    public func hub(_ login: String) -> String { "\(root)/hub-\(login).bin" }
    /// The audit trail's witness (its head after every durable write).
    public var auditAnchor: String { "\(root)/audit.anchor" }
    public var families: String { "\(root)/families" }
    public var drafts: String { "\(root)/drafts" }
    public var quarantine: String { "\(root)/quarantine" }
    /// What sessions opened beside a running Kith recorded (views, printouts), one file
    /// each, waiting for the session that holds the lock to take them in.
    public var outbox: String { "\(root)/outbox" }
    /// Printouts and exports made from the screens (plain text, kept 7 days).
    public var printouts: String { "\(root)/printouts" }
    /// An agency's own instrument definition files.
    public var instruments: String { "\(root)/instruments" }

    public func family(_ id: String) -> String { "\(families)/\(id).log" }
    public func draft(_ id: String) -> String { "\(drafts)/\(id).draft" }

    /// The default store: `$XDG_DATA_HOME/kith`, else `~/.local/share/kith`.
    public static func defaultRoot(environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return "\(data)/kith" }
        let home = environment["HOME"] ?? "."
        return "\(home)/.local/share/kith"
    }
}

/// The plain (unencrypted) description of a store: format, schema version, identity.
/// It holds nothing about families or people.
public struct Manifest: Codable, Hashable, Sendable {
    public var format: String
    public var schema: Int
    public var storeID: String
    public var created: String

    public static let currentSchema = 4
    public static let formatName = "kith-store"
}

/// The key slots file (`keys.json`, and `keys.json.2`): one wrapped copy of the data
/// key per user.
struct KeySlots: Codable, Hashable, Sendable {
    var version: Int
    var slots: [KeySlot]
}

/// A user as the unlock screen lists them, before anything is decrypted.
public struct UserSlotInfo: Hashable, Sendable {
    public var login: String
    public var role: User.Role?
}
