/// Full-text search over what was written in families' records: every line folded like
/// the name search (no case, no accents), and an inverted index from words to lines.
/// A query matches lines holding its words as a phrase, the last word as a prefix (so
/// results follow typing). Lines of a family are replaced whole when the family changes.
public struct TextIndex: Sendable {
    struct Line: Sendable {
        var family: Family.ID
        var line: WrittenLine
    }

    public struct Hit: Hashable, Sendable {
        public var family: Family.ID
        public var line: WrittenLine
    }

    /// Lines by number; a family's old lines are nil once replaced (until compacted).
    private var lines: [Line?] = []
    /// For each line, its family's number in `familyIDs` (-1 once replaced) and its day:
    /// what a search looks at for every candidate, kept apart from the text.
    private var lineFamily: [Int32] = []
    private var lineDay: [Int32] = []
    private var familyIDs: [Family.ID] = []
    private var familyNumbers: [Family.ID: Int32] = [:]
    private var byFamily: [Family.ID: [Int32]] = [:]
    private var postings: [String: [Int32]] = [:]
    /// Every word, sorted, for prefix queries (rebuilt after changes, at the next query).
    private var sortedWords: [String] = []
    private var wordsChanged = false
    private var dead = 0

    public init() {}

    public var familyCount: Int { byFamily.count }
    public var lineCount: Int { lines.count - dead }
    public func holds(_ family: Family.ID) -> Bool { byFamily[family] != nil }
    public var families: [Family.ID] { Array(byFamily.keys) }

    /// Puts `family`'s lines in place of what the index held of it.
    public mutating func replace(_ family: Family.ID, with written: [WrittenLine]) {
        remove(family)
        let familyNumber: Int32
        if let known = familyNumbers[family] {
            familyNumber = known
        } else {
            familyNumber = Int32(familyIDs.count)
            familyIDs.append(family)
            familyNumbers[family] = familyNumber
        }
        var numbers: [Int32] = []
        numbers.reserveCapacity(written.count)
        for line in written {
            let tokens = SearchKey.tokens(line.text)
            guard !tokens.isEmpty else { continue }
            let number = Int32(lines.count)
            lines.append(Line(family: family, line: line))
            lineFamily.append(familyNumber)
            lineDay.append(Int32(clamping: line.day.ordinal))
            numbers.append(number)
            for token in Set(tokens) {
                if postings[token] == nil { wordsChanged = true }
                postings[token, default: []].append(number)
            }
        }
        byFamily[family] = numbers
    }

    /// Forgets what the index held of `family`.
    public mutating func remove(_ family: Family.ID) {
        guard let numbers = byFamily.removeValue(forKey: family) else { return }
        for n in numbers {
            lines[Int(n)] = nil
            lineFamily[Int(n)] = -1
        }
        dead += numbers.count
        // Postings keep dead numbers until there are as many dead lines as live ones.
        if dead > 1000 && dead > lines.count / 2 { compact() }
    }

    private mutating func compact() {
        let old = lines
        lines = []
        lineFamily = []
        lineDay = []
        byFamily = [:]
        postings = [:]
        dead = 0
        wordsChanged = true
        var grouped: [Family.ID: [WrittenLine]] = [:]
        var order: [Family.ID] = []
        for case let line? in old {
            if grouped[line.family] == nil { order.append(line.family) }
            grouped[line.family, default: []].append(line.line)
        }
        for family in order { replace(family, with: grouped[family] ?? []) }
    }

    /// Lines holding `query` as a phrase (its last word as a prefix, from three letters),
    /// newest first, in the families `visible` allows (and only `family` when given), at
    /// most `limit`; and how many there were in all.
    ///
    /// Posting lists are in line order, so the words' lists are intersected by walking the
    /// shortest and looking the others up by binary search, and the last word's prefix is
    /// a bitset; only a phrase of several words is checked against the line's own words.
    public mutating func search(_ query: String, family: Family.ID? = nil, limit: Int = 200,
                                visible: (Family.ID) -> Bool = { _ in true }) -> (hits: [Hit], total: Int) {
        let tokens = SearchKey.tokens(query)
        guard let last = tokens.last else { return ([], 0) }
        let endsWord = query.last.map { !$0.isLetter && !$0.isNumber } ?? false
        var exact: [[Int32]] = tokens.dropLast().map { postings[$0] ?? [] }
        var prefix: Bitset?
        if endsWord || last.count < TextIndex.prefixFrom {
            exact.append(postings[last] ?? [])
        } else {
            prefix = prefixBits(last)
        }
        if let family { exact.append(byFamily[family] ?? []) }
        exact.sort { $0.count < $1.count }

        var found: [UInt64] = []
        // Whether each family may be seen, asked once per family.
        var allowed = [Int8](repeating: 0, count: familyIDs.count)
        let others = exact.dropFirst()
        func consider(_ n: Int32) {
            let i = Int(n)
            let f = Int(lineFamily[i])
            guard f >= 0 else { return }
            for list in others where !TextIndex.contains(list, n) { return }
            if let prefix, !prefix.contains(i) { return }
            if allowed[f] == 0 { allowed[f] = visible(familyIDs[f]) ? 1 : 2 }
            guard allowed[f] == 1 else { return }
            // Newest first, then in the order written: the day (inverted) above the line number.
            found.append(UInt64(UInt32(bitPattern: Int32.max - lineDay[i])) << 32 | UInt64(UInt32(n)))
        }
        if let driver = exact.first {
            for n in driver { consider(n) }
        } else if let prefix {
            prefix.forEach { consider(Int32($0)) }
        }
        // Several words: they must stand together, in order, in the line.
        if tokens.count > 1 {
            let phrase = " " + tokens.joined(separator: " ") + (endsWord ? " " : "")
            found.removeAll { key in
                guard let line = lines[Int(UInt32(truncatingIfNeeded: key))] else { return true }
                return !(" " + SearchKey.tokens(line.line.text).joined(separator: " ") + " ").contains(phrase)
            }
        }
        found.sort()
        let hits = found.prefix(limit).compactMap { key -> Hit? in
            lines[Int(UInt32(truncatingIfNeeded: key))].map { Hit(family: $0.family, line: $0.line) }
        }
        return (hits, found.count)
    }

    /// The last word of a query is taken as a prefix from this many letters (fewer match
    /// too much to be worth showing while typing: they must be whole words).
    public static let prefixFrom = 3

    static func contains(_ sorted: [Int32], _ value: Int32) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value
    }

    /// Lines as bits.
    struct Bitset {
        var words: [UInt64]
        init(count: Int) { words = Array(repeating: 0, count: (count + 63) / 64) }
        mutating func insert(_ i: Int) { words[i >> 6] |= 1 << UInt64(i & 63) }
        func contains(_ i: Int) -> Bool { words[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        func forEach(_ body: (Int) -> Void) {
            for (w, word) in words.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    body(w << 6 | bits.trailingZeroBitCount)
                    bits &= bits - 1
                }
            }
        }
    }

    private mutating func prefixBits(_ prefix: String) -> Bitset {
        var bits = Bitset(count: lines.count)
        for n in prefixPostings(prefix) { bits.insert(Int(n)) }
        return bits
    }

    private mutating func prefixPostings(_ prefix: String) -> [Int32] {
        if wordsChanged {
            sortedWords = postings.keys.sorted()
            wordsChanged = false
        }
        var low = 0, high = sortedWords.count
        while low < high {
            let mid = (low + high) / 2
            if sortedWords[mid] < prefix { low = mid + 1 } else { high = mid }
        }
        var result: [Int32] = []
        var i = low
        while i < sortedWords.count, sortedWords[i].hasPrefix(prefix) {
            result.append(contentsOf: postings[sortedWords[i]] ?? [])
            i += 1
        }
        return result
    }
}

extension TextIndex {
    /// The lines as bytes (the index is rebuilt from them when read).
    public func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: 64 * lines.count + 16)
        w.byte(1)
        w.uvarint(UInt64(byFamily.count))
        for (family, numbers) in byFamily {
            w.string(family.raw)
            w.uvarint(UInt64(numbers.count))
            for n in numbers {
                guard let line = lines[Int(n)] else { continue }
                w.string(line.line.ref.kind.rawValue)
                w.string(line.line.ref.id)
                w.int(line.line.day.ordinal)
                w.string(line.line.text)
            }
        }
        return w.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> TextIndex {
        var r = BinaryReader(bytes)
        guard try r.byte() == 1 else { throw BinaryError.malformed("text index version") }
        var index = TextIndex()
        for _ in 0..<(try r.count()) {
            let family = Family.ID(try r.string())
            let lines = try (0..<r.count()).map { _ in
                guard let kind = RecordKind(rawValue: try r.string()) else { throw BinaryError.malformed("text index kind") }
                return WrittenLine(ref: EntityRef(kind: kind, id: try r.string()), day: Day(ordinal: try r.int()), text: try r.string())
            }
            index.replace(family, with: lines)
        }
        return index
    }
}
