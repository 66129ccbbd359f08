import KithCore

/// The on-disk shape shared by every encrypted Kith file: a plain header naming the
/// file's kind and owner, then frames.
///
/// A frame (format 2) is `[marker 4][sequence u32][length u32][check u32][nonce 12]
/// [ciphertext][tag 16]`: the check is a CRC-32 of the 12 bytes before it, so a damaged
/// length is recognised as damage, not taken for the end of the file, and the reader can
/// find the next frame after a damaged one by its marker. The associated data is
/// `kind|owner id|sequence`, with the owner taken from the file's name rather than its
/// header, so a frame copied into another family's file or moved within a file fails
/// authentication, and a damaged header loses nothing.
///
/// Format 1 (the first release) had `[length u32]` alone before the sealed bytes; it is
/// still read, so older stores can be migrated.
package enum FrameFile {
    static let magic: [UInt8] = Array("KITHLOG1".utf8)
    static let frameMarker: [UInt8] = [0xF7, 0x4B, 0x46, 0x32]     // ÷ K F 2
    static let frameHeaderSize = 16
    static let sealedOverhead = 12 + 16
    static let version: UInt8 = 2

    package enum Kind: UInt8, Sendable, CaseIterable {
        case family = 1, team = 2, audit = 3, draft = 4, index = 5, registry = 6, auditAnchor = 7, outbox = 8, grants = 9, syncPeers = 10, hubSettings = 11, textIndex = 12
        var name: String {
            switch self {
            case .family: "family"
            case .team: "team"
            case .audit: "audit"
            case .draft: "draft"
            case .index: "index"
            case .registry: "registry"
            case .auditAnchor: "audit anchor"
            case .outbox: "outbox"
            case .grants: "grants"
            case .syncPeers: "sync peers"
            case .hubSettings: "hub settings"
            case .textIndex: "text index"
            }
        }
    }

    package static func header(kind: Kind, owner: String, version: UInt8 = FrameFile.version) -> [UInt8] {
        let id = Array(owner.utf8)
        return magic + [version, kind.rawValue, UInt8(min(id.count, 255))] + id.prefix(255)
    }

    static func associated(kind: Kind, owner: String, sequence: Int, version: UInt8 = FrameFile.version) -> [UInt8] {
        Array("kith frame v\(version)|\(kind.name)|\(owner)|\(sequence)".utf8)
    }

    package static func frame(_ plaintext: [UInt8], kind: Kind, owner: String, sequence: Int, keyring: Keyring) -> [UInt8] {
        let sealed = keyring.seal(plaintext, associated: associated(kind: kind, owner: owner, sequence: sequence))
        var out = BinaryWriter(capacity: sealed.count + frameHeaderSize)
        out.raw(frameMarker)
        out.uint32LE(UInt32(truncatingIfNeeded: sequence))
        out.uint32LE(UInt32(sealed.count))
        out.uint32LE(CRC32.checksum(out.bytes[0..<12]))
        out.raw(sealed)
        return out.bytes
    }

    /// A frame in format 1, for migration tests: `[length][sealed]`.
    static func legacyFrame(_ plaintext: [UInt8], kind: Kind, owner: String, sequence: Int, keyring: Keyring) -> [UInt8] {
        let sealed = keyring.seal(plaintext, associated: associated(kind: kind, owner: owner, sequence: sequence, version: 1))
        var out = BinaryWriter(capacity: sealed.count + 4)
        out.uint32LE(UInt32(sealed.count))
        out.raw(sealed)
        return out.bytes
    }

    /// What reading a frame file found.
    package struct Contents {
        /// Decrypted payloads of the frames that authenticated, in order.
        package var payloads: [[UInt8]] = []
        /// The next sequence number to write.
        var frameCount = 0
        /// Byte length up to the end of the last authentic frame.
        var validLength = 0
        /// An incomplete frame ends the file, with nothing authentic after it: a crash
        /// mid-append, never acknowledged. Cut off as routine.
        var tornTail = false
        /// Byte ranges that are not authentic frames: damage, whether frames follow or not.
        var damaged: [Range<Int>] = []
        /// Entries lost: sequence numbers missing between authentic frames (or at least one
        /// for each damaged range where the numbers don't tell).
        var lost = 0
        /// The file's header was damaged; its frames were read with the owner its name gives.
        var headerDamaged = false
        /// Format 1: rewrite before appending.
        var legacy = false

        /// Frames lost or damaged inside the file (not a torn tail).
        package var damagedEntries: Int { lost }
        var isDamaged: Bool { damagedEntries > 0 || headerDamaged }
    }

    package enum HeaderProblem: Error, Equatable {
        /// Not a Kith file of this kind, and nothing in it authenticates.
        case foreign
        /// A whole, authentic log of another owner (a file copied or swapped into place).
        case wrongOwner(String)
    }

    /// Parses a whole file whose name says it belongs to `owner`. Throws only when nothing
    /// in it is an authentic frame of this kind and owner; all other damage is reported in
    /// `Contents`.
    package static func read(_ bytes: [UInt8], kind: Kind, owner: String, keyring: Keyring) throws(HeaderProblem) -> Contents {
        let expected = header(kind: kind, owner: owner)
        if bytes.count >= magic.count + 3, bytes.starts(with: magic), bytes[magic.count] == 1, bytes[magic.count + 1] == kind.rawValue {
            return try readLegacy(bytes, kind: kind, owner: owner, keyring: keyring)
        }
        if bytes.starts(with: expected) {
            return frames(bytes, from: expected.count, kind: kind, owner: owner, keyring: keyring)
        }
        // The header is not this file's: damaged, or another owner's log in this place.
        var contents = frames(bytes, from: min(expected.count, bytes.count), kind: kind, owner: owner, keyring: keyring)
        if !contents.payloads.isEmpty {
            contents.headerDamaged = true
            return contents
        }
        if bytes.count >= magic.count + 3, bytes.starts(with: magic), bytes[magic.count + 1] == kind.rawValue {
            let length = Int(bytes[magic.count + 2])
            let start = magic.count + 3 + length
            if bytes.count >= start {
                let other = String(decoding: bytes[(magic.count + 3)..<start], as: UTF8.self)
                if other != owner, !frames(bytes, from: start, kind: kind, owner: other, keyring: keyring).payloads.isEmpty {
                    throw .wrongOwner(other)
                }
            }
        }
        if bytes.count <= expected.count && bytes == Array(expected.prefix(bytes.count)) && !bytes.isEmpty {
            // Only (part of) a header: a file whose creation was cut short.
            contents.tornTail = true
            return contents
        }
        throw .foreign
    }

    /// Reads frames from `start`, resynchronising on the marker after damage.
    private static func frames(_ bytes: [UInt8], from start: Int, kind: Kind, owner: String, keyring: Keyring) -> Contents {
        var contents = Contents()
        contents.validLength = start
        var offset = start
        var afterDamage = false
        while offset < bytes.count {
            if let (sequence, payload, end) = authenticFrame(bytes, at: offset, kind: kind, owner: owner, keyring: keyring),
               sequence >= contents.frameCount {
                let gap = sequence - contents.frameCount
                contents.lost += afterDamage ? max(gap, 1) : gap
                afterDamage = false
                contents.payloads.append(payload)
                contents.frameCount = sequence + 1
                contents.validLength = end
                offset = end
                continue
            }
            // Not an authentic frame here: find the next one.
            var next = offset + 1
            var found = false
            while next + frameHeaderSize <= bytes.count {
                if bytes[next] == frameMarker[0], let (sequence, _, _) = authenticFrame(bytes, at: next, kind: kind, owner: owner, keyring: keyring),
                   sequence >= contents.frameCount {
                    found = true
                    break
                }
                next += 1
            }
            if found {
                contents.damaged.append(offset..<next)
                afterDamage = true
                offset = next
                continue
            }
            // Nothing authentic follows: a torn tail, or damage at the end.
            if isTorn(bytes, at: offset) {
                contents.tornTail = true
            } else {
                contents.damaged.append(offset..<bytes.count)
                contents.lost += 1
            }
            break
        }
        return contents
    }

    /// An unfinished append, as a crash leaves it: a frame whose intact header promises
    /// more bytes than the file holds, or a header cut short. A complete frame that fails
    /// authentication is damage, wherever it is.
    private static func isTorn(_ bytes: [UInt8], at offset: Int) -> Bool {
        let remaining = bytes.count - offset
        if remaining < frameHeaderSize {
            let n = min(remaining, frameMarker.count)
            return bytes[offset..<(offset + n)].elementsEqual(frameMarker.prefix(n))
        }
        guard let length = frameLength(bytes, at: offset) else { return false }
        return offset + frameHeaderSize + length > bytes.count
    }

    /// The sealed length a frame header at `offset` announces, when its marker and check hold.
    private static func frameLength(_ bytes: [UInt8], at offset: Int) -> Int? {
        guard offset + frameHeaderSize <= bytes.count, bytes[offset..<(offset + 4)].elementsEqual(frameMarker),
              CRC32.checksum(bytes[offset..<(offset + 12)]) == uint32(bytes, offset + 12) else { return nil }
        let length = Int(uint32(bytes, offset + 8))
        return length >= sealedOverhead ? length : nil
    }

    private static func authenticFrame(_ bytes: [UInt8], at offset: Int, kind: Kind, owner: String, keyring: Keyring)
        -> (sequence: Int, payload: [UInt8], end: Int)? {
        guard let length = frameLength(bytes, at: offset), offset + frameHeaderSize + length <= bytes.count else { return nil }
        let sequence = Int(uint32(bytes, offset + 4))
        let sealed = Array(bytes[(offset + frameHeaderSize)..<(offset + frameHeaderSize + length)])
        guard let plain = keyring.open(sealed, associated: associated(kind: kind, owner: owner, sequence: sequence)) else { return nil }
        return (sequence, plain, offset + frameHeaderSize + length)
    }

    private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    /// Format 1: `[length][sealed]` frames, the owner from the header.
    private static func readLegacy(_ bytes: [UInt8], kind: Kind, owner: String, keyring: Keyring) throws(HeaderProblem) -> Contents {
        let idLength = Int(bytes[magic.count + 2])
        let start = magic.count + 3 + idLength
        guard bytes.count >= start else { throw .foreign }
        let fileOwner = String(decoding: bytes[(magic.count + 3)..<start], as: UTF8.self)
        if owner != fileOwner { throw .wrongOwner(fileOwner) }
        var contents = Contents()
        contents.legacy = true
        var offset = start
        contents.validLength = start
        while offset < bytes.count {
            guard bytes.count - offset >= 4 else { contents.tornTail = true; break }
            let length = Int(uint32(bytes, offset))
            guard length >= sealedOverhead, bytes.count - offset - 4 >= length else { contents.tornTail = true; break }
            let sealed = Array(bytes[(offset + 4)..<(offset + 4 + length)])
            if let plain = keyring.open(sealed, associated: associated(kind: kind, owner: fileOwner, sequence: contents.frameCount, version: 1)) {
                contents.payloads.append(plain)
            } else {
                contents.damaged.append(offset..<(offset + 4 + length))
                contents.lost += 1
            }
            contents.frameCount += 1
            offset += 4 + length
            contents.validLength = offset
        }
        return contents
    }
}

/// CRC-32 (IEEE), for frame headers.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
