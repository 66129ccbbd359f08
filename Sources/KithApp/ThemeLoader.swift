import Foundation
import KithCore
import KithStore
import KithUI

/// Finds and reads theme files. A theme that cannot be read falls back to its parent or
/// the compiled-in default, with a warning that names the file and line.
public enum ThemeLoader {
    /// Where theme files are looked for, in order: `$KITH_THEMES`, the user's config,
    /// beside the installed binary, and the nearest `themes/` above it (a source checkout).
    public static func directories(environment: [String: String], executable: String) -> [String] {
        var result: [String] = []
        if let custom = environment["KITH_THEMES"], !custom.isEmpty { result.append(custom) }
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(environment["HOME"] ?? ".")/.config"
        result.append("\(config)/kith/themes")
        var directory = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        result.append(directory.appendingPathComponent("../share/kith/themes").standardized.path)
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("themes")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("default.toml").path) {
                result.append(candidate.path)
                break
            }
            directory.deleteLastPathComponent()
        }
        return result
    }

    public static func load(name: String, depth: ColorDepth, directories: [String]) -> (Theme, [String]) {
        var warnings: [String] = []
        var chain: [ThemeDefinition] = []
        var next: String? = name
        var seen: Set<String> = []
        while let current = next, chain.count < 5, seen.insert(current).inserted {
            next = nil
            let text: String
            let path: String
            if let file = locate(current, in: directories) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    warnings.append("theme file \(file) could not be read; using the default theme")
                    break
                }
                text = String(decoding: data, as: UTF8.self)
                path = file
            } else if let compiled = ThemeDefinition.shipped[current] {
                text = compiled
                path = "(built in) \(current).toml"
            } else {
                if current != "default" { warnings.append("theme '\(current)' was not found; using the default theme") }
                break
            }
            switch ThemeDefinition.parse(text, name: current) {
            case .success(let parsed):
                chain.append(parsed.definition)
                warnings += parsed.warnings.map { "theme \(path): \($0)" }
                next = parsed.definition.inherits
            case .failure(let error):
                warnings.append("theme \(path) line \(error.line) is not valid (\(error.message)); using the default theme")
            }
        }
        return (Theme(chain: chain, depth: depth), warnings)
    }

    /// Whether `name` is a theme Kith can load: a shipped one, one in a theme folder, or
    /// a `.toml` file that exists. An unknown name is refused before the screen opens.
    public static func exists(_ name: String, directories: [String]) -> Bool {
        locate(name, in: directories) != nil || ThemeDefinition.shipped[name] != nil
    }

    static func locate(_ name: String, in directories: [String]) -> String? {
        if name.contains("/") || name.hasSuffix(".toml") { return FileManager.default.fileExists(atPath: name) ? name : nil }
        for directory in directories {
            let path = "\(directory)/\(name).toml"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }
}
