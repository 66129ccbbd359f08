import Foundation

/// A record laid out for reading: on screen, as text, Markdown or HTML. Builders decide
/// what to say; renderers only decide how it looks.
public struct Document: Hashable, Sendable {
    public var title: String
    public var subtitle: String
    public var language: Strings.Language
    public var blocks: [Block]
    /// Repeated at the top of every printed page after the first (title and family), so a
    /// loose second page still says whose it is.
    public var running = ""
    /// "Page {page} of {pages}" in the document's language, for printed pages.
    public var pageLabel = "{page} / {pages}"

    public init(title: String, subtitle: String = "", language: Strings.Language, blocks: [Block] = []) {
        self.title = title
        self.subtitle = subtitle
        self.language = language
        self.blocks = blocks
    }

    public struct Field: Hashable, Sendable {
        public var label: String
        public var value: String
        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    public struct Bar: Hashable, Sendable {
        public var label: String
        /// 0…1, or nil for "not rated".
        public var fraction: Double?
        public var band: Band?
        public var text: String
        public init(label: String, fraction: Double?, band: Band?, text: String) {
            self.label = label
            self.fraction = fraction
            self.band = band
            self.text = text
        }
    }

    public enum Block: Hashable, Sendable {
        case heading(String)
        case paragraph(String)
        case fields([Field])
        case list([String])
        case table(headers: [String], rows: [[String]])
        /// Small print: who made the record, when, the printout's footer.
        case note(String)
        case bars([Bar])
        /// A box that stands out: what to do in an emergency, who to call.
        case callout(title: String, lines: [String])
    }

    public mutating func add(_ block: Block) { blocks.append(block) }

    /// Adds a heading and paragraph only when there is text.
    public mutating func section(_ heading: String, _ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return }
        blocks.append(.heading(heading))
        blocks.append(.paragraph(trimmed))
    }

    /// Adds a heading and a list only when there are items.
    public mutating func list(_ heading: String, _ items: [String]) {
        let kept = items.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !kept.isEmpty else { return }
        blocks.append(.heading(heading))
        blocks.append(.list(kept))
    }

    /// Adds a heading and a table only when there are rows.
    public mutating func table(_ heading: String, headers: [String], rows: [[String]]) {
        guard !rows.isEmpty else { return }
        blocks.append(.heading(heading))
        blocks.append(.table(headers: headers, rows: rows))
    }
}
