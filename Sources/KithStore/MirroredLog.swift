/// An encrypted log the whole store depends on (the team log, the family registry), kept
/// as two identical files so that one bad block never locks anyone out: every entry is
/// appended to both, durably, before it is acknowledged; on reading, the better copy wins
/// and the other is rewritten from it (the damaged one copied to quarantine/ first).
struct MirroredLog {
    let path: String
    let kind: FrameFile.Kind
    let owner: String
    /// The next frame's sequence number.
    private(set) var frames = 0

    var mirrorPath: String { path + ".2" }
    var name: String { String(path.split(separator: "/").last ?? "") }

    init(path: String, kind: FrameFile.Kind, owner: String) {
        self.path = path
        self.kind = kind
        self.owner = owner
    }

    /// Creates both copies holding `payloads` (a new store, or a migration).
    mutating func create(_ payloads: [[UInt8]], io: FileIO, keyring: Keyring) throws(StoreError) {
        let bytes = encode(payloads, keyring: keyring)
        for copy in [path, mirrorPath] {
            if io.exists(copy) { try io.writeAtomically(copy, bytes) } else { try io.createExclusive(copy, bytes) }
        }
        frames = payloads.count
    }

    private func encode(_ payloads: [[UInt8]], keyring: Keyring) -> [UInt8] {
        var bytes = FrameFile.header(kind: kind, owner: owner)
        for (n, payload) in payloads.enumerated() {
            bytes += FrameFile.frame(payload, kind: kind, owner: owner, sequence: n, keyring: keyring)
        }
        return bytes
    }

    /// What reading both copies found, for the store to report.
    enum Finding: Equatable {
        /// One copy was behind the other by whole entries (a crash between the two appends).
        case caughtUp
        /// One copy was missing or damaged and was rewritten from the other.
        case copyRepaired(String)
        /// Both copies are damaged: entries may be lost.
        case bothDamaged(Int)
    }

    /// Reads the log; throws only when neither copy holds anything authentic.
    mutating func load(io: FileIO, keyring: Keyring, quarantine: (String) throws(StoreError) -> Void)
        throws(StoreError) -> (payloads: [[UInt8]], findings: [Finding]) {
        func read(_ copy: String) -> (bytes: [UInt8], contents: FrameFile.Contents)? {
            guard let bytes = try? io.readAll(copy), let contents = try? FrameFile.read(bytes, kind: kind, owner: owner, keyring: keyring) else { return nil }
            return (bytes, contents)
        }
        let copies = [path, mirrorPath]
        let read = copies.map(read)
        let sound = read.indices.filter { read[$0].map { !$0.contents.isDamaged && !$0.contents.legacy } ?? false }
        guard let best = (sound.isEmpty ? read.indices.filter { read[$0] != nil } : sound)
            .max(by: { read[$0]!.contents.payloads.count < read[$1]!.contents.payloads.count }),
              let chosen = read[best] else {
            throw .corrupt(file: name, detail: "both copies unreadable")
        }
        var findings: [Finding] = []
        if sound.isEmpty { findings.append(.bothDamaged(chosen.contents.damagedEntries)) }
        // The chosen copy's own bytes when it is sound (frames are identical in both copies),
        // else its authentic entries written afresh.
        let good = sound.contains(best) ? Array(chosen.bytes.prefix(chosen.contents.validLength)) : encode(chosen.contents.payloads, keyring: keyring)
        for other in read.indices {
            guard let copy = read[other] else {
                if io.exists(copies[other]) { try quarantine(copies[other]) }
                try io.writeAtomically(copies[other], good)
                findings.append(.copyRepaired(other == 0 ? name : name + ".2"))
                continue
            }
            if copy.bytes == good { continue }
            let behind = !copy.contents.isDamaged && !copy.contents.legacy
                && copy.contents.payloads == Array(chosen.contents.payloads.prefix(copy.contents.payloads.count))
            if !behind { try quarantine(copies[other]) }
            try io.writeAtomically(copies[other], good)
            if other != best { findings.append(behind ? .caughtUp : .copyRepaired(other == 0 ? name : name + ".2")) }
        }
        frames = sound.contains(best) ? chosen.contents.frameCount : chosen.contents.payloads.count
        stale = false
        return (chosen.contents.payloads, findings)
    }

    /// A failed append may have left the copies unequal: read them again before the next.
    private(set) var stale = false

    /// Appends one entry to both copies; durable in both when this returns. When the
    /// second append fails the first copy is ahead, so the log is read again (catching
    /// the other copy up) before anything more is appended.
    mutating func append(_ payload: [UInt8], io: FileIO, keyring: Keyring, quarantine: (String) throws(StoreError) -> Void) throws(StoreError) {
        if stale { _ = try load(io: io, keyring: keyring, quarantine: quarantine) }
        let frame = FrameFile.frame(payload, kind: kind, owner: owner, sequence: frames, keyring: keyring)
        do {
            try io.append(path, frame)
            try io.append(mirrorPath, frame)
        } catch {
            stale = true
            throw error
        }
        frames += 1
    }
}
