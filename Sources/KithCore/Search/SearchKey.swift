import Foundation

/// Search keys for names: case- and accent-insensitive ("Sian" finds "Siân"), plus a
/// phonetic key so common spelling variants of names find each other.
public enum SearchKey {
    /// Letters that do not decompose into a base letter and a mark.
    private static let special: [Character: String] = [
        "ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i", "þ": "th", "ð": "d", "ħ": "h",
    ]

    /// Lower-cased, without accents or other combining marks. Scripts without case
    /// (Arabic) keep their letters; their vowel marks are dropped like accents.
    public static func fold(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        let decomposed = text.decomposedStringWithCanonicalMapping
        for character in decomposed.lowercased() {
            if let replacement = special[character] {
                result += replacement
                continue
            }
            for scalar in character.unicodeScalars {
                switch scalar.properties.generalCategory {
                case .nonspacingMark, .enclosingMark, .spacingMark, .format: continue
                default: result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// Folded words: letters and digits; everything else separates ("Jones-Evans" → jones, evans).
    /// Apostrophes join ("O'Brien" → obrien).
    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        for scalar in fold(text).unicodeScalars {
            if scalar == "'" || scalar == "\u{2019}" { continue }
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                tokens.append(current)
                current = ""
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// A phonetic key for one folded token, tuned for Welsh and English names (and
    /// reasonable for other Latin-script names): "Rhys" and "Reece" → `rs`,
    /// "Catherine" and "Kathryn" → `ktrn`, "Evans" and "Ifans" → `afns`.
    /// Tokens in other scripts are their own key.
    public static func phonetic(_ token: String) -> String {
        let letters = Array(token.unicodeScalars)
        guard !letters.isEmpty, letters.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic }) else { return token }
        var chars = letters.map { Character($0) }
        func at(_ i: Int) -> Character? { i >= 0 && i < chars.count ? chars[i] : nil }
        var out: [Character] = []
        var i = 0
        let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]
        // Silent initial pairs.
        if chars.count > 2, ["kn", "wr", "ps", "gn"].contains(String(chars[0...1])) { chars.removeFirst() }
        while i < chars.count {
            let c = chars[i], n = at(i + 1)
            var emit: Character? = c
            var step = 1
            switch c {
            case "p" where n == "h": emit = "f"; step = 2
            case "s" where n == "c" && at(i + 2) == "h": emit = "s"; step = 3
            case "s" where n == "h": emit = "s"; step = 2
            case "c" where n == "h": emit = "k"; step = 2
            case "c" where n == "k": emit = "k"; step = 2
            case "c": emit = (n == "e" || n == "i" || n == "y") ? "s" : "k"
            case "t" where n == "h": emit = "t"; step = 2
            case "d" where n == "d": emit = "d"; step = 2
            case "r" where n == "h": emit = "r"; step = 2
            case "w" where n == "h": emit = "w"; step = 2
            case "k" where n == "h": emit = "k"; step = 2
            case "g" where n == "h": emit = nil; step = 2
            case "g" where n == "e" || n == "i": emit = "j"
            case "q": emit = "k"
            case "v": emit = "f"
            case "z": emit = "s"
            case "x": out.append("k"); emit = "s"
            case "h": emit = nil
            case "w" where i > 0: emit = nil
            default:
                if vowels.contains(c) { emit = i == 0 ? "a" : nil }
            }
            if let emit, out.last != emit { out.append(emit) }
            i += step
        }
        return String(out)
    }
}

/// The searchable text of one family, prepared once so each keystroke only scans bytes.
///
/// `words` holds folded tokens as `\0token\0token\0`; `sounds` the phonetic keys the same
/// way. A query word matches when a token starts with it, or (three letters or more)
/// when its phonetic key equals a token's key.
public struct SearchText: Hashable, Sendable {
    public var words: [UInt8]
    public var sounds: [UInt8]

    public init(words: [UInt8], sounds: [UInt8]) {
        self.words = words
        self.sounds = sounds
    }

    public init(_ texts: [String]) {
        var words: [UInt8] = [0], sounds: [UInt8] = [0]
        var seen: Set<String> = []
        for text in texts {
            for token in SearchKey.tokens(text) where seen.insert(token).inserted {
                words += Array(token.utf8) + [0]
                let key = SearchKey.phonetic(token)
                if !key.isEmpty { sounds += Array(key.utf8) + [0] }
            }
        }
        self.init(words: words, sounds: sounds)
    }
}

/// A query prepared once per keystroke.
public struct SearchQuery: Hashable, Sendable {
    public struct Word: Hashable, Sendable {
        /// `\0` + folded word, to match at a token start.
        public var prefix: [UInt8]
        /// `\0` + phonetic key + `\0`, or empty when the word is too short to sound out.
        public var sound: [UInt8]
    }

    public let text: String
    public let words: [Word]

    public init(_ text: String) {
        self.text = text
        words = SearchKey.tokens(text).map { token in
            let key = SearchKey.phonetic(token)
            let useSound = token.count >= 3 && !key.isEmpty
            return Word(prefix: [0] + Array(token.utf8), sound: useSound ? [0] + Array(key.utf8) + [0] : [])
        }
    }

    public var isEmpty: Bool { words.isEmpty }

    /// A query of some of another query's words.
    public init(words: [Word]) {
        text = ""
        self.words = words
    }

    /// True when every query word matches the text (by prefix or by sound).
    public func matches(_ text: SearchText) -> Bool { rank(text) != nil }

    /// Higher is better: every word matching by spelling beats matching by sound.
    /// `nil` when some word matches neither way. One pass, so the caseload can match and
    /// order its rows with a single scan of each.
    public func rank(_ text: SearchText) -> Int? {
        var score = 0
        for word in words {
            if SearchQuery.contains(text.words, word.prefix) {
                score += 2
            } else if !word.sound.isEmpty, SearchQuery.contains(text.sounds, word.sound) {
                score += 1
            } else {
                return nil
            }
        }
        return score
    }

    /// The rank of a text where every word matches by spelling.
    public var bestRank: Int { words.count * 2 }

    /// Whether `needle` occurs in `haystack` (`memmem`: this runs over every row of the
    /// caseload on each keystroke).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count else { return false }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                kith_memmem(hay.baseAddress, hay.count, pin.baseAddress, pin.count) != nil
            }
        }
    }
}

/// `memmem(3)`, a GNU extension the Glibc module does not export.
@_silgen_name("memmem")
private func kith_memmem(_ haystack: UnsafeRawPointer?, _ haystackLength: Int, _ needle: UnsafeRawPointer?, _ needleLength: Int) -> UnsafeMutableRawPointer?
