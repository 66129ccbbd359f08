import KithCore

/// A user's team hub as this laptop knows it: the address, their own login and password
/// there (sealed with the store's key, like everything in the store — never in a plain
/// config file, never on a command line), and how far they have pulled.
public struct HubSettings: Sendable, Equatable {
    /// The hub's address without a password (`postgres://ROLE@HOST:PORT/DATABASE`).
    public var url: String
    public var password: String
    /// The last entry of the team's stream taken in.
    public var cursor: Int64
    /// When the last sync finished (ms since 1970), nil before the first.
    public var lastSync: Int64?

    public init(url: String, password: String, cursor: Int64 = 0, lastSync: Int64? = nil) {
        self.url = url
        self.password = password
        self.cursor = cursor
        self.lastSync = lastSync
    }

    func bytes() -> [UInt8] {
        var w = BinaryWriter()
        w.byte(1)
        w.string(url)
        w.string(password)
        w.varint(cursor)
        w.bool(lastSync != nil)
        if let lastSync { w.varint(lastSync) }
        return w.bytes
    }

    package static func parse(_ bytes: [UInt8]) throws -> HubSettings {
        var r = BinaryReader(bytes)
        guard try r.byte() == 1 else { throw BinaryError.malformed("hub settings version") }
        var settings = HubSettings(url: try r.string(), password: try r.string(), cursor: try r.varint())
        if try r.bool() { settings.lastSync = try r.varint() }
        guard r.isAtEnd, settings.cursor >= 0 else { throw BinaryError.malformed("hub settings") }
        return settings
    }
}

extension Store {
    /// This user's hub, nil when they have none. A file that doesn't read is named.
    public func hubSettings() throws(StoreError) -> HubSettings? {
        let path = layout.hub(user.login)
        guard io.exists(path) else { return nil }
        guard let bytes = try? io.readAll(path),
              let contents = try? FrameFile.read(bytes, kind: .hubSettings, owner: manifest.storeID + "|" + user.login, keyring: keyring),
              let payload = contents.payloads.first, let settings = try? HubSettings.parse(payload) else {
            throw .corrupt(file: "hub-\(user.login).bin", detail: "unreadable hub settings (kith hub connect writes them again)")
        }
        return settings
    }

    /// Keeps this user's hub settings, durably.
    public func saveHubSettings(_ settings: HubSettings) throws(StoreError) {
        let owner = manifest.storeID + "|" + user.login
        try io.writeAtomically(layout.hub(user.login), FrameFile.header(kind: .hubSettings, owner: owner)
            + FrameFile.frame(settings.bytes(), kind: .hubSettings, owner: owner, sequence: 0, keyring: keyring))
    }
}
