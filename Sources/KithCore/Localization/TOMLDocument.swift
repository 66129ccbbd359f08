import Foundation

/// A parsed TOML file (see `TOMLParser`) as plain values, with enough of the source kept to point at the
/// line of a problem found after parsing ("item 3 of domain 2 has no scale", line 41).
public struct TOMLDocument: Sendable {
    public indirect enum Node: Sendable, Equatable {
        case table([String: Node])
        case array([Node])
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        /// Dates and times: not used by Kith's files.
        case other

        public var table: [String: Node]? { if case .table(let t) = self { return t } else { return nil } }
        public var array: [Node]? { if case .array(let a) = self { return a } else { return nil } }
        public var string: String? { if case .string(let s) = self { return s } else { return nil } }
        public var int: Int? { if case .int(let i) = self { return i } else { return nil } }
        public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    }

    public let root: [String: Node]
    private let lines: [String]
    /// Line numbers (1-based) of each `[[path]]` header, in order: found in one pass so
    /// pointing at the n-th entry costs nothing until there is a problem to point at.
    private let headers: [String: [Int]]

    /// Parses TOML text; a syntax error names its line.
    public init(text: String) throws(TOMLDocumentError) {
        root = try TOMLParser.parse(text)
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var headers: [String: [Int]] = [:]
        for (offset, line) in lines.enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("[["), text.hasSuffix("]]") else { continue }
            let path = text.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces)
            headers[path, default: []].append(offset + 1)
        }
        self.headers = headers
    }

    /// Every key in the document with dotted paths ("caseload.title"), for string tables.
    public var flattened: [String: Node] {
        var result: [String: Node] = [:]
        func walk(_ table: [String: Node], _ prefix: String) {
            for (key, node) in table {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if let inner = node.table { walk(inner, path) } else { result[path] = node }
            }
        }
        walk(root, "")
        return result
    }

    /// The 1-based line of the `index`-th `[[path]]` header.
    public func line(ofArrayTable path: String, index: Int) -> Int? {
        guard let lines = headers[path], lines.indices.contains(index) else { return nil }
        return lines[index]
    }

    /// The 1-based line where `key` is set inside the `index`-th `[[path]]` entry
    /// (or at the top level when `path` is empty).
    public func line(ofKey key: String, inArrayTable path: String = "", index: Int = 0) -> Int? {
        var start = 1
        if !path.isEmpty {
            guard let header = line(ofArrayTable: path, index: index) else { return nil }
            start = header + 1
        }
        var number = start
        while number <= lines.count {
            let text = lines[number - 1].trimmingCharacters(in: .whitespaces)
            if !path.isEmpty && text.hasPrefix("[") { break }
            if text.hasPrefix(key), text.dropFirst(key.count).drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("=") {
                return number
            }
            number += 1
        }
        return path.isEmpty ? nil : start - 1
    }
}

/// A TOML file could not be read: the line (1-based, 0 when unknown) and what was wrong.
public struct TOMLDocumentError: Error, Equatable, Sendable {
    public var line: Int
    public var message: String
}
