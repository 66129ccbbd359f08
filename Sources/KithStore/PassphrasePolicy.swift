import Foundation

/// What Kith accepts as a new passphrase, following NIST SP 800-63B: long enough, not one
/// of the passphrases tried first, not a run of one character or a keyboard sequence, and
/// not the login itself. No rules about digits or symbols (they make passphrases worse).
///
/// Passphrases are compared and derived in Unicode NFKC, so "Siân" typed as one character
/// or as "a" plus a combining circumflex, or a word typed in full-width letters, is the
/// same passphrase.
public enum PassphrasePolicy {
    public static let minimumLength = 12

    public enum Problem: String, Hashable, Sendable {
        case tooShort, tooCommon, tooSimple, isLogin
    }

    /// Why `passphrase` can't be used, or nil when it can.
    public static func problem(_ passphrase: String, login: String = "") -> Problem? {
        let text = normalized(passphrase)
        guard text.count >= minimumLength else { return .tooShort }
        let folded = text.lowercased()
        let compact = folded.filter { !$0.isWhitespace }
        if compact.isEmpty || Set(compact).count < 3 { return .tooSimple }
        if isSequence(compact) { return .tooSimple }
        if !login.isEmpty, compact == normalized(login).lowercased().filter({ !$0.isWhitespace }) { return .isLogin }
        if common.contains(folded) || common.contains(compact) { return .tooCommon }
        return nil
    }

    /// The passphrase as it is derived: Unicode NFKC.
    public static func normalized(_ passphrase: String) -> String { passphrase.precomposedStringWithCompatibilityMapping }

    /// "12345678", "abcdefgh", "87654321", "qwertyui": each character one step from the last.
    static func isSequence(_ text: String) -> Bool {
        let rows = ["0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890"]
        for row in rows {
            if row.contains(text) || String(row.reversed()).contains(text) { return true }
        }
        let scalars = text.unicodeScalars.map(\.value)
        guard scalars.count > 2 else { return false }
        let step = Int(scalars[1]) - Int(scalars[0])
        return abs(step) <= 1 && zip(scalars, scalars.dropFirst()).allSatisfy { Int($1) - Int($0) == step }
    }

    /// Passphrases tried first by anyone guessing (from the published lists of the most
    /// common ones), lower case; the shorter ones are refused for their length anyway.
    static let common: Set<String> = [
        "password1234", "password12345", "passwordpassword", "qwerty123456", "qwertyuiop12", "qwertyuiop123", "1qaz2wsx3edc",
        "1q2w3e4r5t6y", "123qweasdzxc", "qazwsxedcrfv", "zaq1zaq1zaq1", "iloveyou1234", "welcome12345", "football1234",
        "liverpool123", "letmein12345", "123456789abc", "abcd12345678", "changeme1234", "trustno11234", "cymru1234567",
        "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd", "p@ssword", "12345678", "123456789",
        "1234567890", "11111111", "00000000", "88888888", "12341234", "11223344", "qwertyui", "qwerty123", "qwerty12",
        "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "zaq12wsx", "iloveyou", "iloveyou1", "sunshine", "football", "baseball",
        "princess", "welcome1", "welcome123", "letmein1", "letmein123", "trustno1", "superman", "starwars", "whatever",
        "computer", "dragon12", "monkey12", "shadow12", "master12", "michael1", "jennifer", "mustang1", "charlie1",
        "abc12345", "abcd1234", "aa123456", "changeme", "changeme1", "secret12", "qwertyuiop", "asdfghjkl", "liverpool",
        "chelsea1", "arsenal1", "cymru123", "wales123", "caerdydd", "cardiff1", "dragon123", "newport1", "swansea1",
    ]
}
