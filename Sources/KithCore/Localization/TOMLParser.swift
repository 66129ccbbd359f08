/// A TOML 1.0 parser written for files Kith does not control (an agency's instruments,
/// a user's theme): every input, however malformed, ends in a value or a
/// `TOMLDocumentError` naming a line — never a trap, an assertion or unbounded recursion.
///
/// It reads tables, arrays of tables, dotted and quoted keys, basic and literal strings
/// (single and multi-line, with escapes), integers (decimal, hex, octal, binary, with
/// underscores), floats (with `inf` and `nan`), booleans, arrays and inline tables.
/// Dates and times are accepted and kept as `.other` (Kith's files do not use them).
/// Nesting deeper than `maximumDepth` is refused, so hostile input cannot exhaust the stack.
struct TOMLParser {
    typealias Node = TOMLDocument.Node

    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var root = Table()
    /// Path of the table that `key = value` lines go into.
    private var current: [PathStep] = []

    init(_ text: String) { bytes = Array(text.utf8) }

    /// Parses a whole document.
    static func parse(_ text: String) throws(TOMLDocumentError) -> [String: Node] {
        var parser = TOMLParser(text)
        try parser.document()
        return parser.root.node
    }

    // MARK: - The tree being built

    /// A table under construction: keys in order, and how each was defined, so redefining
    /// a key or a table is an error as TOML requires.
    private final class Table {
        var values: [String: Entry] = [:]
        /// Defined by a `[header]` or by key/value lines (not only implied by a dotted path).
        var explicit = false
        /// Closed to later additions (inline tables and values).
        var sealed = false

        var node: [String: Node] {
            var result: [String: Node] = [:]
            for (key, entry) in values { result[key] = entry.node }
            return result
        }
    }

    private enum Entry {
        case value(Node)
        case table(Table)
        case arrayOfTables([Table])

        var node: Node {
            switch self {
            case .value(let node): node
            case .table(let table): .table(table.node)
            case .arrayOfTables(let tables): .array(tables.map { .table($0.node) })
            }
        }
    }

    private struct PathStep { var key: String }

    private func fail(_ message: String) -> TOMLDocumentError { TOMLDocumentError(line: line, message: message) }

    // MARK: - Document structure

    private mutating func document() throws(TOMLDocumentError) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        while true {
            skipWhitespaceAndComments()
            guard let byte = peek() else { return }
            if byte == UInt8(ascii: "[") {
                try header()
            } else {
                let table = try tableAt(current, implicitOK: true)
                try keyValue(into: table, depth: 0)
            }
            try endOfLine()
        }
    }

    /// `[a.b]` or `[[a.b]]`.
    private mutating func header() throws(TOMLDocumentError) {
        position += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { position += 1 }
        skipSpaces()
        let path = try key()
        skipSpaces()
        guard consume("]") else { throw fail("a table header needs a closing ]") }
        if isArray && !consume("]") { throw fail("an array-of-tables header needs ]]") }
        var table = root
        for (n, step) in path.enumerated() {
            let last = n == path.count - 1
            switch table.values[step] {
            case nil:
                let next = Table()
                if last && isArray {
                    table.values[step] = .arrayOfTables([next])
                } else {
                    table.values[step] = .table(next)
                }
                table = next
            case .table(let existing):
                if last {
                    if isArray { throw fail("“\(step)” is a table, not an array of tables") }
                    if existing.explicit || existing.sealed { throw fail("table “\(path.joined(separator: "."))” is defined twice") }
                }
                if existing.sealed { throw fail("“\(step)” is an inline table and cannot be extended") }
                table = existing
            case .arrayOfTables(var tables):
                if last && isArray {
                    let next = Table()
                    tables.append(next)
                    table.values[step] = .arrayOfTables(tables)
                    table = next
                } else if last {
                    throw fail("“\(step)” is an array of tables")
                } else {
                    table = tables[tables.count - 1]
                }
            case .value:
                throw fail("“\(step)” already has a value")
            }
        }
        table.explicit = true
        current = path.map { PathStep(key: $0) }
    }

    /// The table a header path leads to (the last element of arrays of tables).
    private func tableAt(_ path: [PathStep], implicitOK: Bool) throws(TOMLDocumentError) -> Table {
        var table = root
        for step in path {
            switch table.values[step.key] {
            case .table(let next): table = next
            case .arrayOfTables(let tables): table = tables[tables.count - 1]
            default: throw fail("internal: table path lost")
            }
        }
        return table
    }

    /// `key = value`, where the key may be dotted (`title.en = "…"`).
    private mutating func keyValue(into table: Table, depth: Int) throws(TOMLDocumentError) {
        let path = try key()
        skipSpaces()
        guard consume("=") else { throw fail("expected = after the key") }
        skipSpaces()
        let value = try self.value(depth: depth + 1)
        var target = table
        for step in path.dropLast() {
            switch target.values[step] {
            case nil:
                let next = Table()
                target.values[step] = .table(next)
                target = next
            case .table(let next):
                // Dotted keys may add to tables other dotted keys made, not to `[headers]`.
                if next.sealed || next.explicit {
                    throw fail("“\(step)” is already defined")
                }
                target = next
            default:
                throw fail("“\(step)” already has a value")
            }
        }
        let last = path[path.count - 1]
        guard target.values[last] == nil else { throw fail("key “\(path.joined(separator: "."))” is defined twice") }
        target.values[last] = value
    }

    // MARK: - Keys

    private mutating func key() throws(TOMLDocumentError) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard let byte = peek() else { throw fail("a key is missing") }
            if byte == UInt8(ascii: "\"") {
                parts.append(try basicString())
            } else if byte == UInt8(ascii: "'") {
                parts.append(try literalString())
            } else {
                let start = position
                while let b = peek(), isBareKey(b) { position += 1 }
                guard position > start else { throw fail("a key is missing") }
                parts.append(String(decoding: bytes[start..<position], as: UTF8.self))
            }
            skipSpaces()
            guard consume(".") else { return parts }
        }
    }

    private func isBareKey(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
    }

    // MARK: - Values

    private mutating func value(depth: Int) throws(TOMLDocumentError) -> Entry {
        guard depth <= TOMLParser.maximumDepth else { throw fail("values are nested too deeply") }
        guard let byte = peek() else { throw fail("a value is missing") }
        switch byte {
        case UInt8(ascii: "\""):
            if starts(with: "\"\"\"") { return .value(.string(try multilineBasicString())) }
            return .value(.string(try basicString()))
        case UInt8(ascii: "'"):
            if starts(with: "'''") { return .value(.string(try multilineLiteralString())) }
            return .value(.string(try literalString()))
        case UInt8(ascii: "["):
            return .value(try array(depth: depth))
        case UInt8(ascii: "{"):
            return .table(try inlineTable(depth: depth))
        case UInt8(ascii: "t"):
            if consume("true") { return .value(.bool(true)) }
        case UInt8(ascii: "f"):
            if consume("false") { return .value(.bool(false)) }
        default:
            break
        }
        return .value(try scalar())
    }

    private mutating func array(depth: Int) throws(TOMLDocumentError) -> Node {
        position += 1
        var items: [Node] = []
        while true {
            skipWhitespaceAndComments()
            if consume("]") { return .array(items) }
            items.append(try value(depth: depth + 1).node)
            skipWhitespaceAndComments()
            if consume(",") { continue }
            guard consume("]") else { throw fail("expected , or ] in an array") }
            return .array(items)
        }
    }

    private mutating func inlineTable(depth: Int) throws(TOMLDocumentError) -> Table {
        position += 1
        let table = Table()
        table.explicit = true
        skipSpaces()
        if consume("}") { table.sealed = true; return table }
        while true {
            skipSpaces()
            try keyValue(into: table, depth: depth + 1)
            skipSpaces()
            if consume(",") { continue }
            guard consume("}") else { throw fail("expected , or } in an inline table") }
            table.sealed = true
            sealAll(table)
            return table
        }
    }

    private func sealAll(_ table: Table) {
        table.sealed = true
        for case .table(let inner) in table.values.values { sealAll(inner) }
    }

    /// Numbers, `inf`/`nan`, dates and times.
    private mutating func scalar() throws(TOMLDocumentError) -> Node {
        let start = position
        while let b = peek(), !isValueEnd(b) { position += 1 }
        // A date-time may have one space between date and time.
        if position - start == 10, peek() == UInt8(ascii: " "), position + 1 < bytes.count,
           isDigit(bytes[position + 1]), isDate(bytes[start..<position]) {
            position += 1
            while let b = peek(), !isValueEnd(b) { position += 1 }
        }
        let token = String(decoding: bytes[start..<position], as: UTF8.self)
        guard !token.isEmpty else { throw fail("a value is missing") }
        if let number = TOMLParser.number(token) { return number }
        if isDateOrTime(token) { return .other }
        throw fail("“\(token.prefix(20))” is not a TOML value")
    }

    private func isValueEnd(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: ",") || b == UInt8(ascii: "]")
            || b == UInt8(ascii: "}") || b == UInt8(ascii: "#")
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private func isDate(_ slice: ArraySlice<UInt8>) -> Bool {
        let a = Array(slice)
        return a.count == 10 && a[4] == UInt8(ascii: "-") && a[7] == UInt8(ascii: "-")
            && a.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || isDigit($0.element) }
    }

    private func isDateOrTime(_ token: String) -> Bool {
        let utf8 = Array(token.utf8)
        guard utf8.count >= 8, utf8.allSatisfy({ isDigit($0) || ":-.+TZtz ".utf8.contains($0) }) else { return false }
        return isDate(utf8.prefix(10)[...]) || (utf8[2] == UInt8(ascii: ":") && utf8[5] == UInt8(ascii: ":"))
    }

    static func number(_ token: String) -> Node? {
        var text = Substring(token)
        switch text {
        case "inf", "+inf": return .double(.infinity)
        case "-inf": return .double(-.infinity)
        case "nan", "+nan", "-nan": return .double(.nan)
        default: break
        }
        guard !text.hasPrefix("_"), !text.hasSuffix("_"), !text.contains("__") else { return nil }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
            let digits = text.dropFirst(2).filter { $0 != "_" }
            guard !digits.isEmpty, !text.dropFirst(2).hasPrefix("_"), let value = Int(digits, radix: radix) else { return nil }
            return .int(value)
        }
        let unsigned = text.first == "+" || text.first == "-" ? text.dropFirst() : text
        guard let first = unsigned.first, first.isASCII, first.isNumber else { return nil }
        // No leading zeros on integers or the integer part of floats.
        if unsigned.count > 1, first == "0", let second = unsigned.dropFirst().first, second.isNumber || second == "_" { return nil }
        text = Substring(text.filter { $0 != "_" })
        if text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+" || $0 == "-") }), let value = Int(text) { return .int(value) }
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
        // A dot needs a digit on both sides.
        if let dot = text.firstIndex(of: ".") {
            let before = text[..<dot].last, after = text[text.index(after: dot)...].first
            guard before?.isNumber == true, after?.isNumber == true else { return nil }
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return .double(value)
    }

    // MARK: - Strings

    private mutating func basicString() throws(TOMLDocumentError) -> String {
        position += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw fail("a string is not closed") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return try text(out)
            case UInt8(ascii: "\\"): try escape(into: &out)
            case 0x0A, 0x0D: throw fail("a string is not closed on its line")
            default:
                if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw fail("a control character in a string") }
                out.append(byte)
            }
        }
    }

    private mutating func multilineBasicString() throws(TOMLDocumentError) -> String {
        position += 3
        skipOneNewline()
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw fail("a multi-line string is not closed") }
            if starts(with: "\"\"\"") {
                // Up to two quotes may stand just before the closing three.
                var extra = 0
                while extra < 2, position + 3 + extra < bytes.count, bytes[position + 3 + extra] == UInt8(ascii: "\"") { extra += 1 }
                out += [UInt8](repeating: UInt8(ascii: "\""), count: extra)
                position += 3 + extra
                return try text(out)
            }
            position += 1
            if byte == UInt8(ascii: "\\") {
                // A backslash at the end of a line trims the newline and following whitespace.
                var look = position
                while look < bytes.count, bytes[look] == 0x20 || bytes[look] == 0x09 { look += 1 }
                if look < bytes.count, bytes[look] == 0x0A || bytes[look] == 0x0D {
                    position = look
                    while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                        if b == 0x0A { line += 1 }
                        position += 1
                    }
                    continue
                }
                try escape(into: &out)
                continue
            }
            if byte == 0x0A { line += 1 }
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D || byte == 0x7F { throw fail("a control character in a string") }
            out.append(byte)
        }
    }

    private mutating func literalString() throws(TOMLDocumentError) -> String {
        position += 1
        let start = position
        while true {
            guard let byte = peek() else { throw fail("a string is not closed") }
            if byte == UInt8(ascii: "'") {
                let result = try text(Array(bytes[start..<position]))
                position += 1
                return result
            }
            if byte == 0x0A || byte == 0x0D { throw fail("a string is not closed on its line") }
            if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw fail("a control character in a string") }
            position += 1
        }
    }

    private mutating func multilineLiteralString() throws(TOMLDocumentError) -> String {
        position += 3
        skipOneNewline()
        let start = position
        while true {
            guard let byte = peek() else { throw fail("a multi-line string is not closed") }
            if starts(with: "'''") {
                var extra = 0
                while extra < 2, position + 3 + extra < bytes.count, bytes[position + 3 + extra] == UInt8(ascii: "'") { extra += 1 }
                let result = try text(Array(bytes[start..<(position + extra)]))
                position += 3 + extra
                return result
            }
            if byte == 0x0A { line += 1 }
            if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D || byte == 0x7F { throw fail("a control character in a string") }
            position += 1
        }
    }

    private mutating func escape(into out: inout [UInt8]) throws(TOMLDocumentError) {
        guard let byte = peek() else { throw fail("a string ends in a backslash") }
        position += 1
        switch byte {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "e"): out.append(0x1B)
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard position + count <= bytes.count,
                  let code = UInt32(String(decoding: bytes[position..<(position + count)], as: UTF8.self), radix: 16),
                  let scalar = Unicode.Scalar(code) else { throw fail("a \\u escape is not a Unicode character") }
            position += count
            out += Array(String(Character(scalar)).utf8)
        default:
            throw fail("unknown escape in a string")
        }
    }

    private func text(_ utf8: [UInt8]) throws(TOMLDocumentError) -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
        return text
    }

    // MARK: - Low level

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func starts(with text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        for i in 0..<count where bytes[position + i] != text.utf8Start[i] { return false }
        return true
    }

    private mutating func consume(_ text: StaticString) -> Bool {
        guard starts(with: text) else { return false }
        position += text.utf8CodeUnitCount
        return true
    }

    private mutating func skipSpaces() {
        while let b = peek(), b == 0x20 || b == 0x09 { position += 1 }
    }

    private mutating func skipComment() {
        guard peek() == UInt8(ascii: "#") else { return }
        while let b = peek(), b != 0x0A { position += 1 }
    }

    private mutating func skipOneNewline() {
        if consume("\r\n") || consume("\n") { line += 1 }
    }

    private mutating func skipWhitespaceAndComments() {
        while true {
            skipSpaces()
            skipComment()
            if consume("\r\n") || consume("\n") { line += 1; continue }
            return
        }
    }

    /// After a key/value line or header: only a comment may follow before the newline.
    private mutating func endOfLine() throws(TOMLDocumentError) {
        skipSpaces()
        skipComment()
        if peek() == nil { return }
        if consume("\r\n") || consume("\n") { line += 1; return }
        throw fail("unexpected text after a value")
    }
}
