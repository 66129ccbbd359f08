import Crypto
import KithCore

/// What the duplicate check needs of a family, blinded: keyed hashes of its members' names
/// (as the phonetic search key spells them) and dates of birth, of its name's words, and
/// who leads it. Kept in the registry, which every user of the store reads, so a worker
/// starting a family hears of a match among families whose key they don't hold — by
/// reference and lead only, as before keys per family. The hashes are keyed with the
/// store's key: someone holding it can test a guess of names and a date of birth, which is
/// exactly the question the duplicate check answers, and learns nothing else.
package struct MatchKeys: Hashable, Sendable {
    package struct Member: Hashable, Sendable {
        /// The given name alone (for a new member typed without a family name).
        var given: [UInt8]
        /// Given and family name together (empty when either is).
        var name: [UInt8]
        /// The given name with the date of birth (empty when unknown).
        var born: [UInt8]
    }

    var lead: User.ID?
    var members: [Member]
    /// One hash per word of the family's name.
    var words: [[UInt8]]

    static func key(_ keyring: Keyring) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: keyring.dataKey, info: Array("kith duplicate check v1".utf8), outputByteCount: 32)
    }

    private static func hash(_ text: String, _ key: SymmetricKey) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key).prefix(16))
    }

    /// The phonetic spelling the check compares (empty for a name without letters).
    private static func spelled(_ name: String) -> String {
        SearchKey.tokens(SearchKey.fold(name)).map(SearchKey.phonetic).joined(separator: " ")
    }

    static func member(given: String, family: String, born: Day?, key: SymmetricKey) -> Member {
        let g = spelled(given), f = spelled(family)
        return Member(given: g.isEmpty ? [] : hash("g|" + g, key),
                      name: g.isEmpty || f.isEmpty ? [] : hash("n|\(g)|\(f)", key),
                      born: g.isEmpty ? [] : born.map { hash("b|\(g)|\($0.ordinal)", key) } ?? [])
    }

    static func words(_ name: String, key: SymmetricKey) -> [[UInt8]] {
        // Words like "family" and "teulu" name no one (see `DuplicateCheck.genericWords`).
        Array(Set(SearchKey.tokens(name).filter { !DuplicateCheck.genericWords.contains($0) }.map(SearchKey.phonetic))).sorted().map { hash("w|" + $0, key) }
    }

    init(lead: User.ID?, members: [Member], words: [[UInt8]]) {
        self.lead = lead
        self.members = members
        self.words = words
    }

    init(_ row: CaseloadRow, key: SymmetricKey) {
        self.init(lead: row.lead,
                  members: row.members.map { MatchKeys.member(given: $0.givenName, family: $0.familyName, born: $0.dateOfBirth, key: key) },
                  words: MatchKeys.words(row.displayName, key: key))
    }

    /// How the new members match this family, as `DuplicateCheck` counts it: each new member
    /// matches at most one of the family's (by name, and by date of birth where both are
    /// known); with no members given, a word of the family's name will do.
    func match(_ wanted: [(member: Member, hasBirth: Bool, hasFamilyName: Bool)], words wantedWords: [[UInt8]]) -> (matches: Int, sameBirth: Bool) {
        var matches = 0
        var sameBirth = false
        for w in wanted {
            for m in members {
                let similar = w.hasFamilyName ? (!w.member.name.isEmpty && w.member.name == m.name) : (!w.member.given.isEmpty && w.member.given == m.given)
                guard similar else { continue }
                if w.hasBirth && !m.born.isEmpty {
                    if w.member.born == m.born { sameBirth = true; matches += 1 }
                } else {
                    matches += 1
                }
                break
            }
        }
        if matches == 0, wanted.isEmpty, !wantedWords.isEmpty, !Set(words).isDisjoint(with: wantedWords) { matches = 1 }
        return (matches, sameBirth)
    }

    func encoded() -> [UInt8] {
        var w = BinaryWriter()
        w.byte(1)
        w.string(lead?.raw ?? "")
        w.uvarint(UInt64(members.count))
        for m in members {
            w.data(m.given)
            w.data(m.name)
            w.data(m.born)
        }
        w.uvarint(UInt64(words.count))
        for word in words { w.data(word) }
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8]) throws -> MatchKeys {
        var r = BinaryReader(bytes)
        guard try r.byte() == 1 else { throw BinaryError.malformed("match keys version") }
        let lead = try r.string()
        let members = try (0..<r.count()).map { _ in Member(given: try r.data(), name: try r.data(), born: try r.data()) }
        let words = try (0..<r.count()).map { _ in try r.data() }
        return MatchKeys(lead: lead.isEmpty ? nil : User.ID(lead), members: members, words: words)
    }
}
