/// A colour as a theme file writes it, before the terminal's colour depth is known.
public enum ColorSpec: Hashable, Sendable {
    case terminalDefault
    /// 0–15: black, red, green, yellow, blue, magenta, cyan, white, then the bright ones.
    case basic(UInt8)
    /// 0–255 palette index.
    case index(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    static let names: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "gray": 8, "grey": 8, "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Parses a colour name, `#rrggbb` or a palette number given as text.
    public init?(text: String) {
        let lower = text.lowercased()
        if lower == "default" || lower == "none" { self = .terminalDefault; return }
        if let n = ColorSpec.names[lower] { self = .basic(n); return }
        if lower.hasPrefix("#"), lower.count == 7, let v = UInt32(lower.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
            return
        }
        if let n = Int(lower), (0...255).contains(n) { self = .index(UInt8(n)); return }
        return nil
    }

    /// The colour at a given depth: 256 keeps palette indices, 16 maps to the nearest
    /// basic colour, monochrome has only the terminal's own colours.
    public func resolve(_ depth: ColorDepth) -> Color {
        switch (self, depth) {
        case (_, .monochrome), (.terminalDefault, _): return .default
        case (.basic(let n), _): return .ansi(n)
        case (.index(let n), .indexed256): return n < 16 ? .ansi(n) : .indexed(n)
        case (.index(let n), .ansi16): return n < 16 ? .ansi(n) : .ansi(ColorSpec.nearestBasic(ColorSpec.rgbOfIndex(n)))
        case (.rgb(let r, let g, let b), .indexed256): return .indexed(ColorSpec.nearestIndex(r, g, b))
        case (.rgb(let r, let g, let b), .ansi16): return .ansi(ColorSpec.nearestBasic((Int(r), Int(g), Int(b))))
        }
    }

    static let basicRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func rgbOfIndex(_ n: UInt8) -> (Int, Int, Int) {
        let i = Int(n)
        if i < 16 { return basicRGB[i] }
        if i >= 232 { let v = 8 + (i - 232) * 10; return (v, v, v) }
        let c = i - 16
        let steps = [0, 95, 135, 175, 215, 255]
        return (steps[c / 36], steps[(c / 6) % 6], steps[c % 6])
    }

    static func nearestBasic(_ rgb: (Int, Int, Int)) -> UInt8 {
        var best = 0, bestDistance = Int.max
        for (i, c) in basicRGB.enumerated() {
            let d = (c.0 - rgb.0) * (c.0 - rgb.0) + (c.1 - rgb.1) * (c.1 - rgb.1) + (c.2 - rgb.2) * (c.2 - rgb.2)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return UInt8(best)
    }

    static func nearestIndex(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        var best = 16, bestDistance = Int.max
        for i in 16...255 {
            let c = rgbOfIndex(UInt8(i))
            let d = (c.0 - Int(r)) * (c.0 - Int(r)) + (c.1 - Int(g)) * (c.1 - Int(g)) + (c.2 - Int(b)) * (c.2 - Int(b))
            if d < bestDistance { best = i; bestDistance = d }
        }
        return UInt8(best)
    }
}

/// A role's look as a theme file writes it. `mono` gives the attributes to use when the
/// terminal has no colour; without it, a role with a background shows reversed.
public struct StyleSpec: Hashable, Sendable {
    public var foreground: ColorSpec?
    public var background: ColorSpec?
    public var attributes: Attributes
    public var mono: Attributes?

    public init(foreground: ColorSpec? = nil, background: ColorSpec? = nil, attributes: Attributes = [], mono: Attributes? = nil) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
        self.mono = mono
    }

    public func resolve(_ depth: ColorDepth) -> Style {
        if depth == .monochrome {
            let hasBackground = background.map { $0 != .terminalDefault } ?? false
            return Style(attributes: mono ?? (hasBackground ? attributes.union(.reverse) : attributes))
        }
        return Style(foreground: foreground?.resolve(depth) ?? .default, background: background?.resolve(depth) ?? .default, attributes: attributes)
    }
}
