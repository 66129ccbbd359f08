import KithCore

/// A record in `audit.anchor`, the audit trail's witness kept apart from `audit.log`:
/// after every durable audit write it holds the chain's head (sequence and HMAC), so a
/// deleted, shortened or rolled-back `audit.log` no longer matches it. A mismatch is
/// written down as a gap, reported by every `check` until a team lead accepts it.
package struct AuditAnchorEntry: Hashable, Sendable {
    package enum Kind: UInt8, Sendable {
        /// The chain's head after a durable write.
        case head = 1
        /// Entries `from...to` of the audit trail are gone (cut, deleted or replaced).
        case gap = 2
        /// A team lead accepted every gap recorded before this entry.
        case accepted = 3
    }

    package var kind: Kind
    package var sequence: Int
    package var mac: [UInt8] = []
    package var to: Int = 0

    package init(kind: Kind, sequence: Int, mac: [UInt8] = [], to: Int = 0) {
        self.kind = kind
        self.sequence = sequence
        self.mac = mac
        self.to = to
    }

    package func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: 48)
        w.byte(1)
        w.byte(kind.rawValue)
        w.int(sequence)
        w.data(mac)
        w.int(to)
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8]) throws -> AuditAnchorEntry {
        var r = BinaryReader(bytes)
        guard try r.byte() == 1, let kind = Kind(rawValue: try r.byte()) else { throw BinaryError.malformed("anchor entry") }
        return AuditAnchorEntry(kind: kind, sequence: try r.int(), mac: try r.data(), to: try r.int())
    }
}

extension Store {
    /// What the anchor holds: the last head, and the gaps nobody has accepted yet.
    struct AuditAnchorState {
        var exists = false
        var head: (sequence: Int, mac: [UInt8]) = (0, [UInt8](repeating: 0, count: 32))
        var openGaps: [ClosedRange<Int>] = []
        var frames = 0
    }

    func loadAuditAnchor() -> AuditAnchorState {
        var state = AuditAnchorState()
        guard let bytes = try? io.readAll(layout.auditAnchor),
              let contents = try? FrameFile.read(bytes, kind: .auditAnchor, owner: manifest.storeID, keyring: keyring) else { return state }
        state.exists = true
        state.frames = contents.frameCount
        if contents.isDamaged { note(StoreProblem(.corruptEntriesSetAside, file: "audit.anchor", detail: "\(contents.damagedEntries) entries")) }
        for payload in contents.payloads {
            guard let entry = try? AuditAnchorEntry.decode(payload) else { continue }
            switch entry.kind {
            case .head: state.head = (entry.sequence, entry.mac)
            case .gap: state.openGaps.append(entry.sequence...max(entry.sequence, entry.to))
            case .accepted: state.openGaps.removeAll()
            }
        }
        return state
    }

    /// Appends anchor entries durably (creating the file when missing).
    func appendAnchor(_ entries: [AuditAnchorEntry]) throws(StoreError) {
        guard !entries.isEmpty else { return }
        if !io.exists(layout.auditAnchor) {
            try io.createExclusive(layout.auditAnchor, FrameFile.header(kind: .auditAnchor, owner: manifest.storeID))
            anchor.frames = 0
        }
        var bytes: [UInt8] = []
        for entry in entries {
            bytes += FrameFile.frame(entry.encoded(), kind: .auditAnchor, owner: manifest.storeID, sequence: anchor.frames, keyring: keyring)
            anchor.frames += 1
        }
        do { try io.append(layout.auditAnchor, bytes) } catch {
            anchor.frames -= entries.count
            throw error
        }
        for entry in entries {
            switch entry.kind {
            case .head: anchor.head = (entry.sequence, entry.mac)
            case .gap: anchor.openGaps.append(entry.sequence...max(entry.sequence, entry.to))
            case .accepted: anchor.openGaps.removeAll()
            }
        }
    }

    /// Compares the audit trail as found with its anchor; a trail that lost anchored
    /// entries is recorded as a gap (durably) and reported. `macs` holds every entry's HMAC
    /// when the trail was read whole, nil when only its head is known; returns false when
    /// the comparison needs the whole trail.
    func compareAuditWithAnchor(head: AuditLog.Head, macs: [Int: [UInt8]]?) throws(StoreError) -> Bool {
        guard anchor.exists else { return true }
        let anchored = anchor.head
        var lost: ClosedRange<Int>?
        if head.sequence < anchored.sequence {
            lost = (head.sequence + 1)...anchored.sequence
        } else if head.sequence == anchored.sequence {
            if head.mac != anchored.mac && anchored.sequence > 0 { lost = anchored.sequence...anchored.sequence }
        } else {
            guard let macs else { return false }     // the whole trail must be read to compare
            if anchored.sequence > 0, macs[anchored.sequence] != anchored.mac { lost = anchored.sequence...anchored.sequence }
        }
        if let lost {
            try appendAnchor([AuditAnchorEntry(kind: .gap, sequence: lost.lowerBound, to: lost.upperBound),
                              AuditAnchorEntry(kind: .head, sequence: head.sequence, mac: head.mac)])
        }
        return true
    }

    /// Reports every gap nobody has accepted yet.
    func reportAuditGaps() {
        for gap in anchor.openGaps {
            let detail = gap == 0...0 ? "what audit.anchor witnessed (it was missing)"
                : gap.count == 1 ? "entry \(gap.lowerBound)" : "entries \(gap.lowerBound)–\(gap.upperBound)"
            note(StoreProblem(.auditTrailCut, file: "audit.log", detail: detail))
        }
    }

    /// Open audit gaps, for `kith repair`.
    public var auditGaps: [ClosedRange<Int>] { anchor.openGaps }

    /// A team lead accepts the recorded audit gaps (after finding out what happened);
    /// `check` stops reporting them. Recorded in the anchor and the audit trail.
    public func acceptAuditGaps() throws(StoreError) {
        guard canManageUsers else { throw .notPermitted(action: "repair") }
        guard !anchor.openGaps.isEmpty else { return }
        let gaps = anchor.openGaps.map { "\($0.lowerBound)-\($0.upperBound)" }
        try recordAudit(.repair, target: "audit", fields: ["acceptAuditGap"] + gaps, sync: true)
        try appendAnchor([AuditAnchorEntry(kind: .accepted, sequence: audit.head.sequence)])
    }
}
