/// A terminal colour as the theme resolved it for the current colour depth.
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case `default`
    /// One of the 16 basic colours (0–7 normal, 8–15 bright).
    case ansi(UInt8)
    /// A 256-colour palette index (16–255).
    case indexed(UInt8)
}

public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1)
    public static let underline = Attributes(rawValue: 2)
    public static let reverse = Attributes(rawValue: 4)
    public static let dim = Attributes(rawValue: 8)
    public static let italic = Attributes(rawValue: 16)
}

/// How one cell looks: colours and attributes, already resolved from a semantic role.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var attributes: Attributes

    public init(foreground: Color = .default, background: Color = .default, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()

    public func adding(_ extra: Attributes) -> Style {
        var copy = self
        copy.attributes.formUnion(extra)
        return copy
    }
}

/// How many colours the terminal shows; themes fall back 256 → 16 → monochrome.
public enum ColorDepth: String, Sendable, CaseIterable, Codable {
    case monochrome, ansi16, indexed256
}
