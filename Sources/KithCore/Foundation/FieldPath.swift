/// A record as the leaves that merge one by one: each top-level field, and inside lists
/// each element and each of its fields, has a path of its own, so two people who edit
/// different actions of one plan (or add different co-workers to one family) change
/// different paths and never conflict.
///
/// Paths, with names and keys escaped (`%`, `.`, `[`, `]`, `#` as `%XX`):
/// - `riskLevel` — a field that is not a list, whole;
/// - `goals[]` — the list exists (it may be empty);
/// - `goals[iG1]#` — element `G1` is in the list, at this position (a `.double`);
/// - `goals[iG1].text` — a field of an element with an `id` (lists nest: `goals[iG1].actions[iA1].what`);
/// - `rules[cK]` — an element without an id (a text, a user id), whole; its key `c…`
///   comes from its content, so the same text added on two laptops is one element.
///
/// Positions stay where they were when a list is saved again, so adding an element on one
/// laptop and another elsewhere keeps both, in a stable order (position, then key).
public enum FieldPath {
    /// The leaves of a record value (an object).
    ///
    /// `previous` are the record's leaves before, whose element positions are kept where
    /// the order allows (so an unchanged list produces no changes).
    public static func flatten(_ value: Value, previous: [String: Value] = [:]) -> [String: Value] {
        var out: [String: Value] = [:]
        flattenObject(value.objectValue ?? [:], prefix: "", previous: previous, into: &out)
        return out
    }

    /// The leaves of one top-level field only (for a change written before paths).
    public static func flatten(field: String, value: Value?, previous: [String: Value]) -> [String: Value] {
        guard let value else { return [:] }
        var out: [String: Value] = [:]
        flattenObject([field: value], prefix: "", previous: previous, into: &out)
        return out
    }

    /// The record value the leaves describe. Leaves that don't fit (an element without a
    /// position, a path that can't be read) are left out, never a crash.
    public static func unflatten(_ leaves: [String: Value]) -> Value {
        let root = Node()
        for (path, value) in leaves {
            var steps = Substring(path)
            root.insert(&steps, value)
        }
        return root.value() ?? .object([:])
    }

    /// The top-level field a path belongs to (`goals` for `goals[iG1].text`), unescaped.
    public static func field(of path: String) -> String {
        let end = path.firstIndex { $0 == "[" || $0 == "." || $0 == "#" } ?? path.endIndex
        return unescape(path[..<end])
    }

    /// The list elements a path lies inside, outermost first (`goals[iG1]` and
    /// `goals[iG1].actions[iA1]` for `goals[iG1].actions[iA1].what`).
    public static func elements(containing path: String) -> [String] {
        var result: [String] = []
        var index = path.startIndex
        while let close = path[index...].firstIndex(of: "]") {
            let next = path.index(after: close)
            let element = String(path[..<next])
            if !element.hasSuffix("[]"), next < path.endIndex { result.append(element) }
            index = next
        }
        return result
    }

    /// The changes that turn leaves `old` into `new`, sorted by path.
    public static func differences(from old: [String: Value], to new: [String: Value]) -> [(path: String, old: Value?, new: Value?)] {
        var result: [(path: String, old: Value?, new: Value?)] = []
        for path in Set(old.keys).union(new.keys).sorted() where old[path] != new[path] {
            result.append((path, old[path], new[path]))
        }
        return result
    }

    /// Leaves with `changes` set over them, ignoring what each change replaced: what the
    /// changes ask for, for judging whether their author may ask it.
    public static func applying(_ changes: [FieldChange], to leaves: [String: Value]) -> [String: Value] {
        var out = leaves
        for change in changes {
            if change.bases != nil {
                out[change.field] = change.new
            } else {
                let field = escape(change.field)
                let under = out.keys.filter { $0 == field || $0.hasPrefix(field + "[") || $0.hasPrefix(field + ".") }
                var before: [String: Value] = [:]
                for path in under { before[path] = out.removeValue(forKey: path) }
                out.merge(flatten(field: change.field, value: change.new, previous: before)) { $1 }
            }
        }
        return out
    }

    // MARK: - Flattening

    private static func flattenObject(_ fields: [String: Value], prefix: String, previous: [String: Value], into out: inout [String: Value]) {
        for (name, value) in fields {
            let path = prefix + escape(name)
            if case .array(let items) = value {
                flattenList(items, path: path, previous: previous, into: &out)
            } else {
                out[path] = value
            }
        }
    }

    private static func flattenList(_ items: [Value], path: String, previous: [String: Value], into out: inout [String: Value]) {
        out[path + "[]"] = .bool(true)
        let keys = elementKeys(items)
        let old: [Double?] = keys.map { key in
            if case .double(let p)? = previous[path + "[" + key + "]#"], p.isFinite { return p }
            return nil
        }
        let positions = place(old)
        for (n, item) in items.enumerated() {
            let element = path + "[" + keys[n] + "]"
            out[element + "#"] = .double(positions[n])
            if keys[n].hasPrefix("i"), case .object(let fields) = item {
                flattenObject(fields, prefix: element + ".", previous: previous, into: &out)
            } else {
                out[element] = item
            }
        }
    }

    /// Keys for a list's elements: `i` and the id for objects with a usable, unique string
    /// `id`; otherwise `c` and a hash of the content (with `~n` for a repeat).
    static func elementKeys(_ items: [Value]) -> [String] {
        var ids: [String?] = items.map { item in
            if case .string(let id)? = item.objectValue?["id"], !id.isEmpty { return id }
            return nil
        }
        var seen: [String: Int] = [:]
        for id in ids.compactMap({ $0 }) { seen[id, default: 0] += 1 }
        for n in ids.indices where ids[n].map({ seen[$0, default: 0] > 1 }) == true { ids[n] = nil }
        var repeats: [String: Int] = [:]
        return items.indices.map { n in
            if let id = ids[n] { return "i" + escape(id) }
            var writer = BinaryWriter()
            items[n].write(to: &writer)
            let hash = contentHash(writer.bytes)
            let count = repeats[hash, default: 0]
            repeats[hash] = count + 1
            return count == 0 ? "c" + hash : "c\(hash)~\(count)"
        }
    }

    /// Positions for a list in its new order: an element keeps its old position while the
    /// order allows; the others are spread between their neighbours.
    static func place(_ old: [Double?]) -> [Double] {
        var result = [Double](repeating: 0, count: old.count)
        var last = -Double.infinity
        var n = 0
        while n < old.count {
            if let p = old[n], p > last {
                result[n] = p
                last = p
                n += 1
                continue
            }
            var anchor = n + 1
            while anchor < old.count, !((old[anchor] ?? -.infinity) > last) { anchor += 1 }
            let gap = Double(anchor - n + 1)
            let low = last.isFinite ? last : (anchor < old.count ? old[anchor]! - gap : -1)
            let high = anchor < old.count ? old[anchor]! : low + gap
            for k in n..<anchor { result[k] = low + (high - low) * Double(k - n + 1) / gap }
            last = result[anchor - 1]
            n = anchor
        }
        return result
    }

    /// FNV-1a, 64 bits, as hex: enough to tell a list's elements apart.
    static func contentHash(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let digits = Array("0123456789abcdef")
        return String((0..<16).map { digits[Int((hash >> (60 - 4 * UInt64($0))) & 0xf)] })
    }

    // MARK: - Escaping

    /// (Read as UTF-8 bytes: the escaped characters are ASCII, and walking characters or
    /// asking Foundation to search took a tenth of every fold.)
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x25 || $0 == 0x2E || $0 == 0x5B || $0 == 0x5D || $0 == 0x23 }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out.append(contentsOf: "%25".unicodeScalars)
            case ".": out.append(contentsOf: "%2E".unicodeScalars)
            case "[": out.append(contentsOf: "%5B".unicodeScalars)
            case "]": out.append(contentsOf: "%5D".unicodeScalars)
            case "#": out.append(contentsOf: "%23".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    static func unescape(_ text: Substring) -> String {
        guard text.utf8.contains(0x25) else { return String(text) }
        return text.replacingEscapes()
    }

    // MARK: - Unflattening

    private final class Node {
        var scalar: Value?
        var fields: [String: Node] = [:]
        var isList = false
        var elements: [String: Element] = [:]

        final class Element {
            var position: Double?
            var content: Value?
            var node: Node?
        }

        /// Places `value` at the path `steps` (consumed as read).
        func insert(_ steps: inout Substring, _ value: Value) {
            // (Searched as bytes: the separators are ASCII, never inside an escaped name.)
            let end = steps.utf8.firstIndex { $0 == 0x5B || $0 == 0x2E || $0 == 0x23 } ?? steps.endIndex
            let name = FieldPath.unescape(steps[..<end])
            steps = steps[end...]
            guard !name.isEmpty else { return }
            guard let first = steps.first else {
                fieldNode(name).scalar = value
                return
            }
            guard first == "[", let close = steps.utf8.firstIndex(of: 0x5D) else { return }
            let key = String(steps[steps.index(after: steps.startIndex)..<close])
            steps = steps[steps.index(after: close)...]
            let list = fieldNode(name)
            list.isList = true
            if key.isEmpty { return }
            let element = list.elements[key] ?? Element()
            list.elements[key] = element
            switch steps.first {
            case nil:
                element.content = value
            case "#":
                if steps.count == 1, case .double(let p) = value { element.position = p.isFinite ? p : 0 }
            case ".":
                steps = steps.dropFirst()
                let child = element.node ?? Node()
                element.node = child
                child.insert(&steps, value)
            default:
                return
            }
        }

        private func fieldNode(_ name: String) -> Node {
            if let node = fields[name] { return node }
            let node = Node()
            fields[name] = node
            return node
        }

        func value() -> Value? {
            if isList {
                let present = elements.compactMap { key, element -> (Double, String, Value)? in
                    guard let position = element.position else { return nil }
                    if let node = element.node, let value = node.value() { return (position, key, value) }
                    if let content = element.content { return (position, key, content) }
                    return nil
                }
                return .array(present.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2))
            }
            if !fields.isEmpty {
                var object: [String: Value] = [:]
                for (name, node) in fields {
                    if let value = node.value() { object[name] = value }
                }
                return .object(object)
            }
            return scalar
        }
    }
}

private extension Substring {
    func replacingEscapes() -> String {
        var out = ""
        var rest = self[...]
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let code = rest[rest.index(after: percent)...].prefix(2)
            if code.count == 2, let byte = UInt8(code, radix: 16) {
                out.append(Character(Unicode.Scalar(byte)))
                rest = rest[rest.index(percent, offsetBy: 3)...]
            } else {
                out.append("%")
                rest = rest[rest.index(after: percent)...]
            }
        }
        return out + rest
    }
}
