import Foundation

/// Every user-facing string comes from a string table. English and Welsh ship; a key
/// missing from Welsh falls back to English, and a key missing everywhere shows itself
/// (so a missing translation is visible, never a crash).
public struct Strings: Sendable {
    public let language: Language
    private let table: [String: String]
    private let english: [String: String]

    public enum Language: String, Sendable, CaseIterable, Codable {
        case en, cy

        /// The language from `LC_ALL`, `LC_MESSAGES` or `LANG` (first one set): Welsh for `cy…`.
        public static func fromEnvironment(_ environment: [String: String]) -> Language {
            for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
                if let value = environment[name], !value.isEmpty {
                    return value.lowercased().hasPrefix("cy") ? .cy : .en
                }
            }
            return .en
        }
    }

    public init(language: Language, table: [String: String], english: [String: String]) {
        self.language = language
        self.table = table
        self.english = english
    }

    /// The shipped tables for `language`.
    public static func shipped(_ language: Language) -> Strings {
        let english = StringTables.english
        return Strings(language: language, table: language == .cy ? StringTables.welsh : english, english: english)
    }

    public func callAsFunction(_ key: String) -> String {
        table[key] ?? english[key] ?? key
    }

    /// Looks up `key` and fills `{name}` placeholders.
    public func callAsFunction(_ key: String, _ arguments: [String: String]) -> String {
        var text = self(key)
        for (name, value) in arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    public func label<L: Labelled>(_ value: L) -> String { self(value.labelKey) }

    public func has(_ key: String) -> Bool { table[key] != nil }

    public var keys: Set<String> { Set(table.keys) }

    /// A short date in this language: "22 Nov 2026" / "22 Tach 2026".
    public func date(_ day: Day) -> String {
        let c = day.components
        return "\(c.day) \(self("month.short.\(c.month)")) \(c.year)"
    }

    /// A moment as date and time of day (UTC): "22 Nov 2026 14:05".
    public func dateTime(_ secondsSince1970: Double) -> String {
        let seconds = Int(secondsSince1970) % 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return date(Day(secondsSince1970: secondsSince1970)) + " \(two(seconds / 3600)):\(two(seconds % 3600 / 60))"
    }

    /// A date written in full, for families: "22 November 2026" / "22 Tachwedd 2026".
    public func longDate(_ day: Day) -> String {
        let c = day.components
        return "\(c.day) \(self("month.long.\(c.month)")) \(c.year)"
    }

    /// A compact date for narrow columns: "22/11/26".
    public func shortDate(_ day: Day) -> String {
        let c = day.components
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(c.day))/\(two(c.month))/\(two(c.year % 100))"
    }

    /// A file's size: "812 bytes", "340 KB", "1.2 MB" (1024s; one decimal under 10 MB).
    public func bytes(_ count: Int) -> String {
        if count < 1024 { return self("size.bytes", ["n": String(count)]) }
        if count < 1024 * 1024 { return self("size.kb", ["n": String((count + 512) / 1024)]) }
        let tenths = (count * 10 + 512 * 1024) / (1024 * 1024)
        return self("size.mb", ["n": tenths >= 100 || tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"])
    }

    /// An age for lists: "4y", "9m" (months under two years).
    public func age(born: Day?, estimated: Int?, today: Day) -> String {
        if let born {
            let months = born.ageInMonths(on: today)
            if months < 24 { return self("age.months", ["n": String(months)]) }
            return self("age.years", ["n": String(born.age(on: today))])
        }
        if let estimated { return self("age.estimated", ["n": String(estimated)]) }
        return self("age.unknown")
    }
}

/// The string tables shipped inside the binary (from `Resources/strings/*.toml`).
enum StringTables {
    static let english: [String: String] = load(PackageResources.en_toml)
    static let welsh: [String: String] = load(PackageResources.cy_toml)

    static func load(_ bytes: [UInt8]) -> [String: String] {
        guard let document = try? TOMLDocument(text: String(decoding: bytes, as: UTF8.self)) else { return [:] }
        return document.flattened.compactMapValues(\.string)
    }
}
