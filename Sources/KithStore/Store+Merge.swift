import Crypto
import KithCore

/// Entries from other laptops join a family's log as they are: sealed and signed by whoever
/// wrote them, never re-signed. An entry is known by the digest of its bytes, so one that
/// arrives again (in another bundle, or twice in one) is not added twice; entries are
/// judged and folded in the order of their clocks when the family is read (see
/// `readFamily`), so the log's own order doesn't matter.
extension Store {
    /// Whether an id from another laptop can name a file: letters, digits, `-` and `_`,
    /// at most 64 (a bundle is signed by a member, but a member's laptop may be anyone's).
    package static func isSafeFileID(_ raw: String) -> Bool {
        !raw.isEmpty && raw.utf8.count <= 64 && raw.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
        }
    }

    /// The digest an entry is known by across laptops.
    package static func entryDigest(_ payload: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: payload)).prefix(16).map { $0 }
    }

    /// Appends the entries of `payloads` the log of family `id` doesn't hold yet, in one
    /// write (durable on return unless `durable` is false: then the caller flushes the
    /// file system once for many); returns how many were new. The family is read again at
    /// its next use.
    @discardableResult
    package func mergeFamilyEntries(_ id: Family.ID, _ payloads: [[UInt8]], durable: Bool = true) throws(StoreError) -> Int {
        guard !isBeside else { throw .notPermitted(action: "merge") }
        guard Store.isSafeFileID(id.raw) else { throw .corrupt(file: "bundle", detail: "family id that can't name a file") }
        // A family removed under the retention rule does not come back from another laptop.
        guard removedFamilies[id] == nil else { return 0 }
        let path = layout.family(id.raw)
        var held: Set<[UInt8]> = []
        var frames = 0
        let exists = io.exists(path)
        if exists {
            let contents: FrameFile.Contents
            do {
                contents = try FrameFile.read(try io.readAll(path), kind: .family, owner: id.raw, keyring: keyring)
            } catch {
                // Read (and so repaired, or set aside and named) the usual way first.
                _ = try? readFamily(id)
                throw .familyDamaged(reference: Family.reference(for: id))
            }
            if contents.tornTail || contents.isDamaged { _ = try? readFamily(id) }
            let current = contents.tornTail || contents.isDamaged
                ? (try? FrameFile.read(try io.readAll(path), kind: .family, owner: id.raw, keyring: keyring)) ?? contents : contents
            held = Set(current.payloads.map(Store.entryDigest))
            frames = current.frameCount
        }
        var bytes: [UInt8] = exists ? [] : FrameFile.header(kind: .family, owner: id.raw)
        var added = 0
        for payload in payloads where held.insert(Store.entryDigest(payload)).inserted {
            bytes += FrameFile.frame(payload, kind: .family, owner: id.raw, sequence: frames, keyring: keyring)
            frames += 1
            added += 1
        }
        guard added > 0 else { return 0 }
        if exists { try io.append(path, bytes, sync: durable) } else { try io.createExclusive(path, bytes, sync: durable) }
        forget(id)
        if index[id] != nil {
            index[id]!.logSize = io.size(path) ?? index[id]!.logSize
            index[id]!.frames = frames
            staleRows.insert(id)
            indexDirty = true
        }
        return added
    }
}
