import Crypto
import KithCore

extension Store {
    /// Schema 4: each family's entries sealed with a key of its own. Run by the first
    /// unlock that holds the lock and has an identity (until then the store reads as
    /// schema 3). Each family gets a first key, sealed to everyone who may read it and has
    /// published keys (whoever publishes theirs later is given it by the next unlock of
    /// someone holding it, see `grantMissing`); its log is rewritten with every entry sealed
    /// with it — the grants durable first, each log replaced atomically, so a crash leaves
    /// every log either as it was or done, and running again finishes the rest. The store's
    /// single index, which holds every family's row under the store's key, is removed:
    /// each user's own is made from the logs they can read.
    ///
    /// Copies made before (backups, `quarantine/`) still open with the store's key: keys per
    /// family protect what is written from now on, and what the logs now hold.
    func migrateToFamilyKeys() throws(StoreError) {
        guard identity != nil, !isBeside else { return }
        var sealedFamilies = 0
        var matches: [RegistryEntry] = []
        for name in io.list(layout.families) where name.hasSuffix(".log") && !name.hasPrefix(".") {
            let id = Family.ID(String(name.dropLast(4)))
            let path = layout.family(id.raw)
            guard let bytes = try? io.readAll(path),
                  let contents = try? FrameFile.read(bytes, kind: .family, owner: id.raw, keyring: keyring) else { continue }
            if !contents.payloads.isEmpty && contents.payloads.allSatisfy({ FamilyEntry.epoch(of: $0) != nil }) { continue }
            let events = contents.payloads.compactMap { try? SignedBatch.open($0) }.flatMap(\.events)
            guard let file = CaseFile(events: events) else { continue }
            let epoch: Int
            let key: SymmetricKey
            if let held = heldEpochs(id).first, let first = keys(id, epoch: held).first {
                // Sealed by an earlier run that stopped before the log was rewritten.
                (epoch, key) = (held, first.key)
            } else {
                epoch = ((grants[id] ?? []).map(\.epoch).max() ?? -1) + 1
                key = SymmetricKey(size: .bits256)
                try appendGrants(seal(key, family: id, epoch: epoch, to: entitled(to: file.family)))
            }
            if contents.isDamaged || contents.tornTail { try setAsideCopy(path) }
            var rewritten = FrameFile.header(kind: .family, owner: id.raw)
            for (n, payload) in contents.payloads.enumerated() {
                let sealed = FamilyEntry.epoch(of: payload) != nil ? payload
                    : FamilyEntry.seal(payload, key: key, epoch: epoch, family: id, storeID: manifest.storeID)
                rewritten += FrameFile.frame(sealed, kind: .family, owner: id.raw, sequence: n, keyring: keyring)
            }
            try io.writeAtomically(path, rewritten)
            sealedFamilies += 1
            if let entry = matchEntry(for: file) { matches.append(entry) }
        }
        // The duplicate check's view of every family, for those who can't read them.
        try register(matches)
        // Keys this user was not given are not kept, even in memory.
        familyKeys = familyKeys.filter { holdsKey($0.key) }
        if io.exists(layout.index) { try io.remove(layout.index) }
        manifest.schema = 4
        try Store.writeManifest(manifest, layout, io)
        try recordAudit(.migrate, target: "schema4", fields: ["families:\(sealedFamilies)"], sync: false)
    }
}
