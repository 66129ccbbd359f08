import KithCore

extension Store {
    /// Finds the audit chain's head — from the index when the log has not changed since,
    /// else by verifying the whole log — and holds it against the anchor: anchored entries
    /// that are gone become a recorded gap, reported until accepted.
    func openAudit(anchorIsNew: Bool = false) throws(StoreError) {
        anchor = loadAuditAnchor()
        var macs: [Int: [UInt8]]?
        if !io.exists(layout.audit) {
            try AuditLog.create(path: layout.audit, owner: manifest.storeID, io: io)
            audit.head = AuditLog.Head(length: Int64(FrameFile.header(kind: .audit, owner: manifest.storeID).count))
            macs = [:]
        } else if let recorded = recordedAuditHead, recorded.length == io.size(layout.audit) ?? 0 {
            audit.head = recorded
        } else {
            macs = try verifyAuditOnOpen()
        }
        if try !compareAuditWithAnchor(head: audit.head, macs: macs) {
            // The log is longer than the anchor knew (written after its last durable entry):
            // read it whole to see that the anchored entry is still there.
            _ = try compareAuditWithAnchor(head: audit.head, macs: try verifyAuditOnOpen())
        }
        if !anchor.exists {
            // A store from before the anchor starts one now; in any other store its loss is
            // itself a gap in what can be proven.
            try appendAnchor(anchorIsNew ? [AuditAnchorEntry(kind: .head, sequence: audit.head.sequence, mac: audit.head.mac)]
                                         : [AuditAnchorEntry(kind: .gap, sequence: 0, to: 0),
                                            AuditAnchorEntry(kind: .head, sequence: audit.head.sequence, mac: audit.head.mac)])
            anchor.exists = true
        }
        reportAuditGaps()
    }

    /// Reads and verifies the whole audit log, repairing a torn tail; returns each entry's HMAC.
    private func verifyAuditOnOpen() throws(StoreError) -> [Int: [UInt8]] {
        let bytes = try io.readAll(layout.audit)
        guard let verification = AuditLog.verify(bytes, owner: manifest.storeID, keyring: keyring) else {
            try setAside(layout.audit)
            note(StoreProblem(.fileSetAside, file: "audit.log", detail: "not a Kith audit log"))
            try AuditLog.create(path: layout.audit, owner: manifest.storeID, io: io)
            audit.head = AuditLog.Head(length: Int64(FrameFile.header(kind: .audit, owner: manifest.storeID).count))
            return [:]
        }
        if verification.tornTail {
            try setAsideCopy(layout.audit)
            try io.truncate(layout.audit, to: verification.head.length)
            note(StoreProblem(.tornTailRepaired, file: "audit.log"))
        }
        if !verification.broken.isEmpty {
            note(StoreProblem(.auditChainBroken, file: "audit.log", detail: "entries \(verification.broken.prefix(5).map(String.init).joined(separator: ","))"))
        }
        audit.head = verification.head
        return verification.macs
    }

    /// An entry for something this user does now (its sequence is given when it is written).
    func auditEntry(_ action: AuditEntry.Action, target: String, fields: [String] = []) -> AuditEntry {
        AuditEntry(sequence: 0, atMillis: Int64(clock.now() * 1000), actor: user.id.raw, role: user.role.rawValue,
                   device: device.raw, action: action, target: target, fields: fields)
    }

    /// Appends to the audit trail. Views, prints, exports and unlocks are written and made
    /// durable at once. Entries for saves wait in memory until the next durable entry or a
    /// quiet moment (`flushIndexIfNeeded`, close): a save's durable record is its event in
    /// the family log, and writing a second file inside every save would double its cost.
    func recordAudit(_ action: AuditEntry.Action, target: String, fields: [String] = [], sync: Bool) throws(StoreError) {
        let entry = auditEntry(action, target: target, fields: fields)
        if isBeside {
            try writeToOutbox(OutboxEntry(audit: [entry]))
            return
        }
        pendingAudit.append(entry)
        if sync { try flushAudit(sync: true) }
        indexDirty = true
    }

    /// Writes waiting audit entries (in order, each chained to the one before).
    func flushAudit(sync: Bool) throws(StoreError) {
        guard !pendingAudit.isEmpty else { return }
        if auditNeedsReopen {
            // A failed append may have left bytes it could not take back: read the chain's
            // head from the file again (cutting them off) before chaining to it.
            try openAudit()
            auditNeedsReopen = false
        }
        do {
            try audit.append(pendingAudit, keyring: keyring, io: io, sync: sync)
        } catch {
            // The entries stay waiting and are written with the next durable entry.
            if case .appendNotUndone = error { auditNeedsReopen = true }
            throw error
        }
        pendingAudit.removeAll()
        // The witness follows every durable write. If it can't be written it lags behind,
        // which the next start notices and settles by reading the whole trail.
        if sync { try? appendAnchor([AuditAnchorEntry(kind: .head, sequence: audit.head.sequence, mac: audit.head.mac)]) }
    }

    /// The audit trail, verified (for `kith check` and for team leads).
    public func auditTrail() throws(StoreError) -> (entries: [AuditEntry], brokenAt: [Int]) {
        let verification = try verifiedAudit()
        return (verification.entries, verification.broken)
    }

    func verifiedAudit() throws(StoreError) -> AuditLog.Verification {
        try flushAudit(sync: false)
        guard let verification = AuditLog.verify(try io.readAll(layout.audit), owner: manifest.storeID, keyring: keyring) else {
            throw .foreign(file: "audit.log")
        }
        return verification
    }
}

extension Store {
    /// Records durably that this user exported `what` (the caseload, a return), before
    /// the file is written: an export that happened is never missing from the trail.
    public func recordExport(_ what: String, fields: [String]) throws(StoreError) {
        try recordAudit(.export, target: what, fields: fields, sync: true)
    }
}
