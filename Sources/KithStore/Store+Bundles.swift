import Foundation
import KithCore

/// Who a bundle is for: decides what it leaves out.
public enum BundleTarget: Sendable, Equatable {
    /// Everything this laptop holds (a first exchange, or a copy to keep).
    case everything
    /// What the laptop of this login (as last heard from) doesn't hold.
    case user(login: String)
    /// What any laptop of the team heard from doesn't hold (a shared folder).
    case team
    /// The team log, key grants and registrations, and no family's entries: a join file
    /// for a laptop that takes the caseload from the team's hub.
    case membership
}

/// Another laptop of the team as last heard from.
public struct PeerStatus: Sendable, Equatable {
    public var device: Device.ID
    public var user: User.ID
    public var heardMillis: Int64
}

/// What this laptop holds that it hasn't sent, and whom it has heard from.
public struct SyncStatus: Sendable, Equatable {
    /// Changes held here that the last bundle written didn't carry (all of them before any).
    public var notSent: Int
    /// When the last bundle was written (nil: never).
    public var lastExportMillis: Int64?
    public var peers: [PeerStatus]
}

/// The record kept in `sync-peers.bin`: each laptop heard from, with the summary its last
/// bundle carried, and the summary this laptop held when it last wrote a bundle.
struct SyncPeers {
    var peers: [Device.ID: (user: User.ID, heard: Int64, summary: SyncSummary)] = [:]
    var lastExport: (millis: Int64, summary: SyncSummary)?

    func bytes() -> [UInt8] {
        var w = BinaryWriter()
        w.byte(1)
        w.uvarint(UInt64(peers.count))
        for (device, peer) in peers.sorted(by: { $0.key < $1.key }) {
            w.string(device.raw)
            w.string(peer.user.raw)
            w.varint(peer.heard)
            w.data(Bundle.encodeBody(summary: peer.summary, items: []))
        }
        w.bool(lastExport != nil)
        if let lastExport {
            w.varint(lastExport.millis)
            w.data(Bundle.encodeBody(summary: lastExport.summary, items: []))
        }
        return w.bytes
    }

    static func parse(_ bytes: [UInt8]) throws -> SyncPeers {
        var r = BinaryReader(bytes)
        guard try r.byte() == 1 else { throw BinaryError.malformed("sync peers version") }
        var result = SyncPeers()
        for _ in 0..<(try r.count()) {
            let device = Device.ID(try r.string()), user = User.ID(try r.string()), heard = try r.varint()
            result.peers[device] = (user, heard, try Bundle.decodeBody(try r.data()).0)
        }
        if try r.bool() { result.lastExport = (try r.varint(), try Bundle.decodeBody(try r.data()).0) }
        return result
    }
}

extension Store {
    func loadPeers() -> SyncPeers {
        guard let bytes = try? io.readAll(layout.syncPeers),
              let contents = try? FrameFile.read(bytes, kind: .syncPeers, owner: manifest.storeID, keyring: keyring),
              let payload = contents.payloads.first, let peers = try? SyncPeers.parse(payload) else { return SyncPeers() }
        return peers
    }

    func savePeers(_ peers: SyncPeers) throws(StoreError) {
        try io.writeAtomically(layout.syncPeers, FrameFile.header(kind: .syncPeers, owner: manifest.storeID)
            + FrameFile.frame(peers.bytes(), kind: .syncPeers, owner: manifest.storeID, sequence: 0, keyring: keyring))
    }

    /// Writes a bundle for `target`: encrypted to every active member of the team, signed
    /// by this user; `progress` is told of each family read. Returns the bytes and how
    /// many items they carry. Audited.
    public func exportBundle(for target: BundleTarget, progress: (Int, Int) -> Void = { _, _ in }) throws(StoreError) -> (bytes: [UInt8], items: Int) {
        guard let identity else { throw .notPermitted(action: "exportBundle") }
        let all = try syncItems(progress: progress)
        let mine = Store.summary(of: all)
        var peers = loadPeers()
        var chosen: [SyncItem]
        switch target {
        case .everything:
            chosen = all
        case .membership:
            chosen = all.filter { $0.kind != .family }
        case .user(let login):
            guard let person = users.values.first(where: { $0.login == login }) else { throw .unknownUser(login: login) }
            let heard = peers.peers.values.filter { $0.user == person.id }.max { $0.heard < $1.heard }
            chosen = Store.items(all, notIn: heard?.summary, mine: mine)
        case .team:
            let known = peers.peers.values.map(\.summary)
            if known.isEmpty {
                chosen = all
            } else {
                var wanted: Set<SyncItem> = []
                for summary in known { wanted.formUnion(Store.items(all, notIn: summary, mine: mine)) }
                chosen = all.filter { wanted.contains($0) }
            }
        }
        // Sealed to everyone active who has keys (this user too, so a copy can come back).
        let recipients = users.values.compactMap { person in person.active ? person.agreementKey.map { (person.id, $0) } : nil }
            .sorted { $0.0 < $1.0 }
        let now = Int64(clock.now() * 1000)
        let bytes = Bundle.write(storeID: manifest.storeID, sender: user.id, device: device, createdMillis: now, identity: identity,
                                 recipients: recipients, summary: mine, items: chosen)
        // (A join file without the caseload sent none of it.)
        if target != .membership {
            peers.lastExport = (now, mine)
            try savePeers(peers)
        }
        try recordAudit(.exportBundle, target: target.auditTarget, fields: ["items:\(chosen.count)"], sync: true)
        return (bytes, chosen.count)
    }

    /// Takes in a bundle: checked whole first (see `Bundle.open`) — a refused bundle
    /// changes nothing — then merged. Taking the same bundle in twice changes nothing the
    /// second time. Audited.
    @discardableResult
    public func importBundle(_ bytes: [UInt8], file: String, progress: (Int, Int) -> Void = { _, _ in }) throws(StoreError) -> MergeReport {
        guard let identity else { throw .notPermitted(action: "importBundle") }
        let bundle: Bundle
        do {
            bundle = try Bundle.open(bytes, storeID: manifest.storeID, user: user.id, identity: identity, users: users)
        } catch {
            throw .bundleRefused(file: file, reason: error.rawValue)
        }
        let report = try merge(bundle.items, progress: progress)
        var peers = loadPeers()
        if bundle.header.device != device, (peers.peers[bundle.header.device]?.heard ?? .min) <= bundle.header.createdMillis {
            peers.peers[bundle.header.device] = (bundle.header.sender, bundle.header.createdMillis, bundle.summary)
            try savePeers(peers)
        }
        try recordAudit(.importBundle, target: bundle.header.sender.raw,
                        fields: ["entries:\(report.entries)", "families:\(report.families.count)", "team:\(report.teamEntries)",
                                 "grants:\(report.grants)", "registrations:\(report.registrations)"], sync: true)
        return report
    }

    /// What hasn't been sent since the last bundle, and whom this laptop has heard from.
    public func syncStatus() throws(StoreError) -> SyncStatus {
        let mine = Store.summary(of: try syncItems())
        let peers = loadPeers()
        let notSent = peers.lastExport.map { mine.ahead(of: $0.summary) } ?? mine.ahead(of: SyncSummary())
        return SyncStatus(notSent: notSent, lastExportMillis: peers.lastExport?.millis,
                          peers: peers.peers.map { PeerStatus(device: $0.key, user: $0.value.user, heardMillis: $0.value.heard) }
                              .sorted { $0.heardMillis > $1.heardMillis })
    }
}

extension BundleTarget {
    var auditTarget: String {
        switch self {
        case .everything: "everything"
        case .user(let login): "user:\(login)"
        case .team: "team"
        case .membership: "membership"
        }
    }
}

/// The parsers of what sync files hold once opened (a bundle's header and body, the peers
/// file, a join package), for the fuzzer: each returns or throws for any input.
package enum SyncFileParsers {
    package static func parse(_ bytes: [UInt8]) {
        _ = try? Bundle.Header.parse(bytes)
        _ = try? Bundle.decodeBody(bytes)
        _ = try? SyncPeers.parse(bytes)
        _ = try? JoinPackage.decode(bytes)
        _ = try? HubSettings.parse(bytes)
    }

    /// A well-formed bundle body, as a fuzzing seed.
    package static var sampleBody: [UInt8] {
        var summary = SyncSummary()
        summary.families[Family.ID("FAMILY0000000001")] = SyncSummary.Mark(count: 2, xor: [UInt8](repeating: 4, count: 16))
        summary.team = [1, 2]
        summary.grants = [3]
        return Bundle.encodeBody(summary: summary, items: [SyncItem(kind: .family, family: "FAMILY0000000001", payload: [1, 2, 3]),
                                                           SyncItem(kind: .team, payload: [4])])
    }
}
