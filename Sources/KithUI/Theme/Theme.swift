import KithCore

/// A theme file read into values: an optional parent, a palette of named colours and the
/// roles it defines.
public struct ThemeDefinition: Sendable, Hashable {
    public var name: String
    public var inherits: String?
    public var palette: [String: ColorSpec]
    public var roles: [String: StyleSpec]

    public init(name: String, inherits: String? = nil, palette: [String: ColorSpec] = [:], roles: [String: StyleSpec] = [:]) {
        self.name = name
        self.inherits = inherits
        self.palette = palette
        self.roles = roles
    }

    /// Every theme Kith ships, compiled in (the files in `themes/`), so an installed binary
    /// has them all wherever it runs. A file of the same name in a theme folder overrides.
    public static let shipped: [String: String] = [
        "default": String(decoding: PackageResources.default_toml, as: UTF8.self),
        "high-contrast": String(decoding: PackageResources.high_contrast_toml, as: UTF8.self),
        "monochrome": String(decoding: PackageResources.monochrome_toml, as: UTF8.self),
    ]

    /// The default theme, compiled in.
    public static let builtIn: ThemeDefinition = {
        let text = shipped["default"] ?? ""
        guard case .success(let parsed) = ThemeDefinition.parse(text, name: "default") else {
            return ThemeDefinition(name: "default")
        }
        return parsed.definition
    }()

    public struct Parsed: Sendable {
        public var definition: ThemeDefinition
        /// Problems that did not stop the theme loading (each role fell back).
        public var warnings: [String]
    }

    /// Parses a theme file. Syntax errors reject the file; a bad colour or attribute only
    /// drops that setting, with a warning naming the role and line.
    public static func parse(_ text: String, name: String) -> Result<Parsed, TOMLDocumentError> {
        let document: TOMLDocument
        do { document = try TOMLDocument(text: text) } catch { return .failure(error) }
        var warnings: [String] = []
        var palette: [String: ColorSpec] = [:]
        for (key, node) in document.root["palette"]?.table ?? [:] {
            if let text = node.string, let color = ColorSpec(text: text) {
                palette[key] = color
            } else {
                warnings.append("palette colour '\(key)' is not a colour")
            }
        }
        func color(_ node: TOMLDocument.Node?, role: String, key: String) -> ColorSpec? {
            guard let node else { return nil }
            if let n = node.int, (0...255).contains(n) { return .index(UInt8(n)) }
            if let text = node.string {
                if let named = palette[text] { return named }
                if let parsed = ColorSpec(text: text) { return parsed }
            }
            let line = document.line(ofKey: "\"\(role)\"").map { " (line \($0))" } ?? ""
            warnings.append("role '\(role)': \(key) is not a colour\(line)")
            return nil
        }
        func attributes(_ table: [String: TOMLDocument.Node]) -> Attributes {
            var result: Attributes = []
            let names: [(String, Attributes)] = [("bold", .bold), ("underline", .underline), ("reverse", .reverse), ("dim", .dim), ("italic", .italic)]
            for (name, flag) in names where table[name]?.bool == true { result.insert(flag) }
            return result
        }
        var roles: [String: StyleSpec] = [:]
        for (role, node) in document.root["roles"]?.table ?? [:] {
            guard let table = node.table else {
                warnings.append("role '\(role)' is not a table")
                continue
            }
            var spec = StyleSpec(foreground: color(table["fg"], role: role, key: "fg"),
                                 background: color(table["bg"], role: role, key: "bg"),
                                 attributes: attributes(table))
            if let mono = table["mono"]?.array {
                var flags: Attributes = []
                for item in mono {
                    switch item.string {
                    case "bold": flags.insert(.bold)
                    case "underline": flags.insert(.underline)
                    case "reverse": flags.insert(.reverse)
                    case "dim": flags.insert(.dim)
                    case "italic": flags.insert(.italic)
                    default: warnings.append("role '\(role)': unknown mono attribute")
                    }
                }
                spec.mono = flags
            }
            roles[role] = spec
        }
        let definition = ThemeDefinition(name: document.root["name"]?.string ?? name,
                                         inherits: document.root["inherits"]?.string,
                                         palette: palette, roles: roles)
        return .success(Parsed(definition: definition, warnings: warnings))
    }
}

/// A theme resolved for one colour depth: every role has a concrete style.
public struct Theme: Sendable, Hashable {
    public let name: String
    public let depth: ColorDepth
    private let styles: [Role: Style]

    /// Resolves a chain of definitions (child first, then its parents). A role is looked
    /// up by its dotted path in the chain (`list.selected`, then `list`), then in the
    /// built-in theme, and only then falls back to `normal` — so a short theme still
    /// shows a selection, and one that defines `list` styles every `list.*` role.
    public init(chain: [ThemeDefinition], depth: ColorDepth) {
        name = chain.first?.name ?? "default"
        self.depth = depth
        let builtIn = ThemeDefinition.builtIn
        var styles: [Role: Style] = [:]
        for role in Role.allCases {
            var paths: [String] = []
            var path = role.rawValue
            while path != "normal" {
                paths.append(path)
                guard let dot = path.lastIndex(of: ".") else { break }
                path = String(path[..<dot])
            }
            let spec = paths.lazy.compactMap { p in chain.lazy.compactMap { $0.roles[p] }.first }.first
                ?? paths.lazy.compactMap { builtIn.roles[$0] }.first
                ?? chain.lazy.compactMap { $0.roles["normal"] }.first
                ?? builtIn.roles["normal"]
                ?? StyleSpec()
            styles[role] = spec.resolve(depth)
        }
        self.styles = styles
    }

    public static func builtIn(depth: ColorDepth) -> Theme { Theme(chain: [], depth: depth) }

    public subscript(role: Role) -> Style { styles[role] ?? .plain }
}
