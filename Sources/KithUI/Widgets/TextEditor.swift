/// The editing core shared by the single-line field and the note editor: a list of
/// grapheme clusters and a cursor between them.
///
/// Kept as `[Character]` so cursor moves and inserts are index arithmetic; notes are a
/// few thousand characters, where that is far cheaper than string index walking.
public struct TextEditor: Hashable, Sendable, Codable {
    public private(set) var characters: [Character]
    public var cursor: Int {
        didSet { cursor = min(max(0, cursor), characters.count) }
    }
    /// The most characters the text may hold; longer pastes are refused whole.
    public var limit: Int

    public init(_ text: String = "", limit: Int = 100_000) {
        characters = Array(text)
        cursor = characters.count
        self.limit = limit
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }
    public var count: Int { characters.count }

    public mutating func setText(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    public enum EditResult: Equatable, Sendable {
        case changed, moved, unchanged
        /// An insert was refused because it would pass the limit (nothing changed).
        case tooLong(limit: Int)
    }

    /// Inserts text at the cursor. Newlines are kept only when `multiline`; elsewhere
    /// they become spaces. Carriage returns from pasted Windows text are dropped.
    @discardableResult
    public mutating func insert(_ text: String, multiline: Bool) -> EditResult {
        var incoming: [Character] = []
        incoming.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "\r\n", "\n", "\r": incoming.append(multiline ? "\n" : " ")
            case "\t": incoming.append(multiline ? "\t" : " ")
            default: incoming.append(character)
            }
        }
        guard !incoming.isEmpty else { return .unchanged }
        guard characters.count + incoming.count <= limit else { return .tooLong(limit: limit) }
        characters.insert(contentsOf: incoming, at: cursor)
        cursor += incoming.count
        return .changed
    }

    @discardableResult
    public mutating func backspace() -> EditResult {
        guard cursor > 0 else { return .unchanged }
        characters.remove(at: cursor - 1)
        cursor -= 1
        return .changed
    }

    @discardableResult
    public mutating func deleteForward() -> EditResult {
        guard cursor < characters.count else { return .unchanged }
        characters.remove(at: cursor)
        return .changed
    }

    /// Deletes back to the start of the previous word.
    @discardableResult
    public mutating func deleteWordBackward() -> EditResult {
        let start = wordStart(before: cursor)
        guard start < cursor else { return .unchanged }
        characters.removeSubrange(start..<cursor)
        cursor = start
        return .changed
    }

    /// Deletes from the cursor to the start of the line.
    @discardableResult
    public mutating func deleteToLineStart() -> EditResult {
        let start = lineStart(cursor)
        guard start < cursor else { return .unchanged }
        characters.removeSubrange(start..<cursor)
        cursor = start
        return .changed
    }

    public mutating func moveLeft() { cursor -= 1 }
    public mutating func moveRight() { cursor += 1 }
    public mutating func moveWordLeft() { cursor = wordStart(before: cursor) }
    public mutating func moveWordRight() { cursor = wordEnd(after: cursor) }
    public mutating func moveLineStart() { cursor = lineStart(cursor) }
    public mutating func moveLineEnd() { cursor = lineEnd(cursor) }

    private func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "'" || c == "’" }

    func wordStart(before index: Int) -> Int {
        var i = index
        while i > 0 && !isWord(characters[i - 1]) { i -= 1 }
        while i > 0 && isWord(characters[i - 1]) { i -= 1 }
        return i
    }

    func wordEnd(after index: Int) -> Int {
        var i = index
        while i < characters.count && !isWord(characters[i]) { i += 1 }
        while i < characters.count && isWord(characters[i]) { i += 1 }
        return i
    }

    func lineStart(_ index: Int) -> Int {
        var i = index
        while i > 0 && characters[i - 1] != "\n" { i -= 1 }
        return i
    }

    func lineEnd(_ index: Int) -> Int {
        var i = index
        while i < characters.count && characters[i] != "\n" { i += 1 }
        return i
    }

    /// Applies an editing key common to every text widget. Keys that are not editing
    /// keys return `.unchanged` so the caller can treat them as commands.
    public mutating func handle(_ key: Key, multiline: Bool) -> EditResult {
        switch key {
        case .char(let c): return insert(String(c), multiline: multiline)
        case .backspace: return backspace()
        case .delete: return deleteForward()
        case .ctrlBackspace, .ctrl("w"): return deleteWordBackward()
        case .ctrl("u"): return deleteToLineStart()
        case .left: guard cursor > 0 else { return .unchanged }; moveLeft(); return .moved
        case .right: guard cursor < count else { return .unchanged }; moveRight(); return .moved
        case .ctrlLeft, .alt("b"): moveWordLeft(); return .moved
        case .ctrlRight, .alt("f"): moveWordRight(); return .moved
        case .home, .ctrl("a"): moveLineStart(); return .moved
        case .end, .ctrl("e"): moveLineEnd(); return .moved
        default: return .unchanged
        }
    }
}

extension TextEditor {
    private enum CodingKeys: String, CodingKey { case text, cursor, limit }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try container.decode(String.self, forKey: .text), limit: try container.decode(Int.self, forKey: .limit))
        cursor = try container.decode(Int.self, forKey: .cursor)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(cursor, forKey: .cursor)
        try container.encode(limit, forKey: .limit)
    }
}
