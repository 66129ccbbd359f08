import KithCore

/// Finding a word or phrase in what was written — notes, meetings, plans, safety plans,
/// assessments, reviews — across every family the user may see (`T` on the caseload) or
/// in one family (`T` on it). Results follow typing (accents and case aside; the last
/// word may be part of a word); each lists the family, the record and the line, and Enter
/// opens the record at that line. The search runs at the edge against the sealed index;
/// an answer to an older query than the one typed is dropped.
public struct TextSearchScreen: ScreenModel {
    public let family: Family.ID?
    let familyName: String
    var query = TextField(limit: 200)
    public private(set) var hits: [WrittenHit] = []
    public private(set) var total = 0
    var table = TableView()
    var pending: RequestID?
    /// The query the hits shown answer.
    public private(set) var answered = ""

    public init(family: (id: Family.ID, name: String)?, context: AppContext) {
        self.family = family?.id
        familyName = family?.name ?? ""
    }

    public static let keys = Keymap(titleKey: "written.title", [
        Binding([.enter], .open, footer: true),
        Binding([.up], .moveUp),
        Binding([.down], .moveDown),
        Binding([.pageUp], .pageUp),
        Binding([.pageDown], .pageDown),
        Binding([.escape], .back, footer: true),
    ])

    public var keymap: Keymap { TextSearchScreen.keys }

    public func title(_ context: AppContext) -> String {
        family == nil ? context.strings("written.title") : context.strings("written.title.family", ["name": familyName])
    }

    public func takesText(_ key: Key) -> Bool {
        key.typedCharacter != nil || key == .backspace || key == .delete || key == .left || key == .right || key == .ctrl("u") || key == .ctrl("w")
    }

    var selected: WrittenHit? { hits.indices.contains(table.selected) ? hits[table.selected] : nil }

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        if let command = keymap.command(for: key) {
            switch command {
            case .moveUp, .moveDown, .pageUp, .pageDown:
                _ = table.handle(command, visibleRows: max(1, context.screenArea.height - 4))
            case .open:
                guard let hit = selected else { return [] }
                return [.effect(.openFamily(hit.family, then: .record(hit.line.ref, find: answered)))]
            case .back: return [.pop]
            default: break
            }
            return []
        }
        guard takesText(key) else { return [] }
        let before = query.text
        _ = query.handle(key)
        return query.text == before ? [] : ask(context)
    }

    public mutating func paste(_ text: String, context: AppContext) -> [ScreenAction] {
        _ = query.paste(text)
        return ask(context)
    }

    /// Asks the edge for the lines holding what is typed now.
    mutating func ask(_ context: AppContext) -> [ScreenAction] {
        guard !SearchKey.tokens(query.text).isEmpty else {
            pending = nil
            hits = []
            total = 0
            answered = ""
            table.setCount(0)
            return []
        }
        let request = Request(context)
        pending = request.id
        return [.effect(.searchWritten(request, query: query.text, family: family))]
    }

    public mutating func receive(_ result: ScreenResult, for request: RequestID, context: AppContext) -> [ScreenAction] {
        guard request == pending, case .written(let found, let all) = result else { return [] }
        pending = nil
        hits = found
        total = all
        answered = query.text
        table.setCount(hits.count)
        return []
    }

    public func render(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        let s = context.strings
        buffer.fill(area, style: ctx[.normal])
        let (queryRow, rest) = area.splitTop(1)
        let (summaryRow, body) = rest.splitTop(1)
        let label = s("written.find") + " "
        let labelWidth = buffer.put(label, x: queryRow.x + 1, y: queryRow.y, style: ctx[.title], maxWidth: queryRow.width - 2)
        query.render(into: &buffer, area: Rect(x: queryRow.x + 1 + labelWidth, y: queryRow.y, width: max(1, queryRow.width - labelWidth - 2), height: 1),
                     style: ctx[.formFieldFocused], focused: true, placeholder: s("written.placeholder"), placeholderStyle: ctx[.formHint])
        let summary: String
        if answered.isEmpty {
            summary = s(family == nil ? "written.explain" : "written.explain.family")
        } else {
            let families = Set(hits.map(\.family)).count
            summary = total > hits.count ? s("written.summary.more", ["n": String(total), "shown": String(hits.count)])
                : s("written.summary", ["n": String(total), "families": String(families)])
        }
        buffer.put(summary, x: summaryRow.x + 1, y: summaryRow.y, style: ctx[.muted], maxWidth: summaryRow.width - 2)
        var columns: [TableView.Column] = [.init(s("column.date"), width: 11, fit: true)]
        if family == nil {
            columns += [.init(s("caseload.column.reference"), width: 8, fit: true), .init(s("column.family"), width: 12, flex: 1)]
        }
        columns += [.init(s("column.what"), width: 10, fit: true), .init(s("written.column.line"), width: 20, flex: 4)]
        table.render(into: &buffer, area: body, columns: columns, context: ctx,
                     emptyText: answered.isEmpty ? "" : s("written.none")) { i in
            let hit = hits[i]
            var cells: [TableView.Text] = [.init(s.date(hit.line.day))]
            if family == nil {
                cells += [.init(hit.reference), hit.name.isEmpty ? .init("⊘ " + s("caseload.sensitive.short"), .muted) : .init(hit.name)]
            }
            return cells + [.init(s(hit.line.ref.kind.labelKey)), .init(TextSearchScreen.excerpt(hit.line.text, around: answered))]
        }
        if let cursor = buffer.cursor, cursor.y != queryRow.y { buffer.cursor = nil }
    }

    /// The part of a long line around the first word of what was found, so the match
    /// shows in a narrow column ("… the part that matched …").
    static func excerpt(_ text: String, around query: String) -> String {
        guard let first = SearchKey.tokens(query).first, text.count > 60 else { return text }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        guard let at = words.firstIndex(where: { SearchKey.tokens(String($0)).contains { $0.hasPrefix(first) } }), at > 3 else { return text }
        return "… " + words[(at - 3)...].joined(separator: " ")
    }
}
