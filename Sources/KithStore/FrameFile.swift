import KithCore

/// The on-disk shape shared by every encrypted Kith file: a plain header naming the
/// file's kind and owner, then frames of `[length u32][nonce][ciphertext][tag]`.
///
/// Each frame's associated data is `kind|owner id|sequence number`, so a frame copied
/// into another family's file, or moved within a file, fails authentication.
enum FrameFile {
    static let magic: [UInt8] = Array("KITHLOG1".utf8)
    static let overhead = 4 + 12 + 16

    enum Kind: UInt8, Sendable {
        case family = 1, team = 2, audit = 3, draft = 4, index = 5
        var name: String {
            switch self {
            case .family: "family"
            case .team: "team"
            case .audit: "audit"
            case .draft: "draft"
            case .index: "index"
            }
        }
    }

    static func header(kind: Kind, owner: String) -> [UInt8] {
        let id = Array(owner.utf8)
        return magic + [1, kind.rawValue, UInt8(min(id.count, 255))] + id.prefix(255)
    }

    static func associated(kind: Kind, owner: String, sequence: Int) -> [UInt8] {
        Array("kith frame v1|\(kind.name)|\(owner)|\(sequence)".utf8)
    }

    static func frame(_ plaintext: [UInt8], kind: Kind, owner: String, sequence: Int, keyring: Keyring) -> [UInt8] {
        let sealed = keyring.seal(plaintext, associated: associated(kind: kind, owner: owner, sequence: sequence))
        var out = BinaryWriter(capacity: sealed.count + 4)
        out.uint32LE(UInt32(sealed.count))
        out.raw(sealed)
        return out.bytes
    }

    /// What reading a frame file found.
    struct Contents {
        /// Decrypted payloads of the frames that authenticated, in order.
        var payloads: [[UInt8]] = []
        /// Number of complete frames (authentic or not): the next sequence number.
        var frameCount = 0
        /// Byte length up to the end of the last complete frame.
        var validLength = 0
        /// A partial frame followed the last complete one (a crash mid-append).
        var tornTail = false
        /// Sequence numbers of complete frames that failed authentication.
        var corrupt: [Int] = []
    }

    enum HeaderProblem: Error { case foreign, wrongOwner }

    /// Parses a whole file. Throws for a foreign file (no header, wrong kind or owner);
    /// damage inside is reported in `Contents`, never thrown.
    static func read(_ bytes: [UInt8], kind: Kind, owner: String?, keyring: Keyring) throws(HeaderProblem) -> (owner: String, contents: Contents) {
        guard bytes.count >= magic.count + 3, Array(bytes[0..<magic.count]) == magic,
              bytes[magic.count] == 1, bytes[magic.count + 1] == kind.rawValue else { throw .foreign }
        let idLength = Int(bytes[magic.count + 2])
        let start = magic.count + 3 + idLength
        guard bytes.count >= start else { throw .foreign }
        let fileOwner = String(decoding: bytes[(magic.count + 3)..<start], as: UTF8.self)
        if let owner, owner != fileOwner { throw .wrongOwner }
        var contents = Contents()
        var offset = start
        contents.validLength = start
        while offset < bytes.count {
            guard bytes.count - offset >= 4 else { contents.tornTail = true; break }
            let length = Int(UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
            guard length >= 28, bytes.count - offset - 4 >= length else { contents.tornTail = true; break }
            let sealed = Array(bytes[(offset + 4)..<(offset + 4 + length)])
            let sequence = contents.frameCount
            if let plain = keyring.open(sealed, associated: associated(kind: kind, owner: fileOwner, sequence: sequence)) {
                contents.payloads.append(plain)
            } else {
                contents.corrupt.append(sequence)
            }
            contents.frameCount += 1
            offset += 4 + length
            contents.validLength = offset
        }
        return (fileOwner, contents)
    }
}
