import KithCore

/// One line of the audit trail: who did what to which record, from which device.
/// It names record ids and field names, never their values.
public struct AuditEntry: Hashable, Sendable {
    public var sequence: Int
    public var atMillis: Int64
    public var actor: String
    public var role: String
    public var device: String
    public var action: Action
    /// A family id or record reference (`kind:id`), or empty.
    public var target: String
    public var fields: [String]

    package init(sequence: Int, atMillis: Int64, actor: String, role: String, device: String, action: Action, target: String, fields: [String]) {
        self.sequence = sequence
        self.atMillis = atMillis
        self.actor = actor
        self.role = role
        self.device = device
        self.action = action
        self.target = target
        self.fields = fields
    }

    public enum Action: String, Sendable, CaseIterable {
        case createStore, unlock, view, save, print, export, check, addUser, changePassphrase
        case recoverDraft, discardDraft, migrate, repair
        case deactivateUser, resetUser
        case resolveConflict, exportBundle, importBundle, inviteUser, joinTeam
        case removeForRetention
    }

    package func bytes() -> [UInt8] {
        var w = BinaryWriter()
        w.byte(1)
        w.int(sequence)
        w.varint(atMillis)
        w.string(actor)
        w.string(role)
        w.string(device)
        w.string(action.rawValue)
        w.string(target)
        w.uvarint(UInt64(fields.count))
        for field in fields { w.string(field) }
        return w.bytes
    }

    package static func parse(_ r: inout BinaryReader) throws -> AuditEntry {
        guard try r.byte() == 1 else { throw BinaryError.malformed("audit version") }
        let sequence = try r.int()
        let at = try r.varint()
        let actor = try r.string(), role = try r.string(), device = try r.string()
        guard let action = Action(rawValue: try r.string()) else { throw BinaryError.malformed("audit action") }
        let target = try r.string()
        let fields = try (0..<r.count()).map { _ in try r.string() }
        return AuditEntry(sequence: sequence, atMillis: at, actor: actor, role: role, device: device, action: action, target: target, fields: fields)
    }
}

/// The audit log: encrypted frames, each entry chained to the one before by an HMAC,
/// so an edited or deleted entry breaks the chain. (Cutting the tail is only visible
/// against a copy of the head kept elsewhere: the index keeps one.)
struct AuditLog {
    struct Head: Hashable {
        var mac: [UInt8] = Array(repeating: 0, count: 32)
        var sequence = 0
        var frames = 0
        var length: Int64 = 0
    }

    var head: Head
    let path: String
    let owner: String

    static func create(path: String, owner: String, io: FileIO) throws(StoreError) {
        try io.createExclusive(path, FrameFile.header(kind: .audit, owner: owner))
    }

    /// Appends entries in one write, each chained to the one before.
    mutating func append(_ entries: [AuditEntry], keyring: Keyring, io: FileIO, sync: Bool) throws(StoreError) {
        var next = head
        var bytes: [UInt8] = []
        for entry in entries {
            var numbered = entry
            numbered.sequence = next.sequence + 1
            let body = numbered.bytes()
            let mac = keyring.mac(next.mac + body)
            var w = BinaryWriter()
            w.data(body)
            w.raw(next.mac)
            w.raw(mac)
            let frame = FrameFile.frame(w.bytes, kind: .audit, owner: owner, sequence: next.frames, keyring: keyring)
            bytes += frame
            next = Head(mac: mac, sequence: numbered.sequence, frames: next.frames + 1, length: next.length + Int64(frame.count))
        }
        try io.append(path, bytes, sync: sync)
        head = next
    }

    struct Verification {
        var entries: [AuditEntry] = []
        var head = Head()
        /// Sequence numbers where the chain fails (edited, removed or damaged entries).
        var broken: [Int] = []
        var tornTail = false
        /// Frames that did not authenticate (a removed or edited entry also breaks the chain).
        var damagedEntries = 0
        var legacy = false
        /// Each entry's chain HMAC by sequence number (to compare with the anchor).
        var macs: [Int: [UInt8]] = [:]
    }

    /// Reads and verifies the whole chain.
    static func verify(_ bytes: [UInt8], owner: String, keyring: Keyring) -> Verification? {
        guard let contents = try? FrameFile.read(bytes, kind: .audit, owner: owner, keyring: keyring) else { return nil }
        var result = Verification()
        result.tornTail = contents.tornTail
        result.legacy = contents.legacy
        result.damagedEntries = contents.damagedEntries
        var previous = [UInt8](repeating: 0, count: 32)
        for payload in contents.payloads {
            var r = BinaryReader(payload)
            guard let body = try? r.data(), let prev = try? r.raw(32), let mac = try? r.raw(32) else {
                result.broken.append(result.entries.count + 1)
                continue
            }
            var br = BinaryReader(body)
            guard let entry = try? AuditEntry.parse(&br) else { result.broken.append(result.entries.count + 1); continue }
            if prev != previous || keyring.mac(prev + body) != mac || entry.sequence != result.entries.count + 1 {
                result.broken.append(entry.sequence)
            }
            previous = mac
            result.macs[entry.sequence] = mac
            result.entries.append(entry)
        }
        if result.damagedEntries > 0 && result.broken.isEmpty { result.broken.append(result.entries.count + 1) }
        result.head = Head(mac: previous, sequence: result.entries.last?.sequence ?? 0, frames: contents.frameCount, length: Int64(contents.validLength))
        return result
    }
}
