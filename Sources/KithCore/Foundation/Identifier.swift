/// A typed identifier: `Family.ID` and `Person.ID` are different types, so they cannot be mixed.
///
/// The raw value is 16 characters of Crockford base32 (80 random bits) for new records;
/// any non-empty string is accepted when reading, so ids from other devices round-trip.
public struct Identifier<Tag>: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let raw: String

    public init(_ raw: String) { self.raw = raw }

    public init(from decoder: any Decoder) throws {
        raw = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(raw)
    }

    public var description: String { raw }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.raw < rhs.raw }

    /// A fresh random identifier.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> Self {
        Self(Base32.random(count: 16, using: &generator))
    }

    public static func random() -> Self {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }
}

/// Crockford base32: digits and letters without I, L, O, U, so ids read aloud without confusion.
public enum Base32 {
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    public static func random<G: RandomNumberGenerator>(count: Int, using generator: inout G) -> String {
        var result = ""
        result.reserveCapacity(count)
        for _ in 0..<count {
            result.append(alphabet[Int(generator.next(upperBound: UInt32(32)))])
        }
        return result
    }
}
