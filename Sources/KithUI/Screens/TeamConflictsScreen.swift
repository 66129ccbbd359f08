import KithCore

/// Every open conflict in the families the user may see — for a team lead, the whole
/// team's — one line per record and field, oldest family first. Enter opens the family's
/// conflict screen on that conflict. Values stay on that screen (opening it puts the view
/// on record); this list names only the family, the kind of record, the field, who made
/// the competing changes and when. A sensitive family's name is never shown here.
public struct TeamConflictsScreen: ScreenModel {
    public internal(set) var items: [TeamConflict] = []
    var table = TableView()
    var pendingLoad: RequestID?
    var loading = true

    public init() {}

    public static let keys = Keymap(titleKey: "teamConflicts.title", [
        Binding([.enter], .open, footer: true),
        Binding([.escape], .back, footer: true),
    ] + Keymap.listMoves + Keymap.helpAndQuit)

    public var keymap: Keymap { TeamConflictsScreen.keys }

    public func title(_ context: AppContext) -> String { context.strings("teamConflicts.title") }

    /// The list is read as the screen opens (a case file per family in conflict).
    public mutating func appear(context: AppContext) -> [ScreenAction] {
        guard loading, pendingLoad == nil else { return [] }
        let request = Request(context)
        pendingLoad = request.id
        return [.effect(.loadTeamConflicts(request))]
    }

    public mutating func receive(_ result: ScreenResult, for request: RequestID, context: AppContext) -> [ScreenAction] {
        guard request == pendingLoad else { return [] }
        pendingLoad = nil
        loading = false
        if case .conflicts(let found) = result { items = found }
        table.setCount(items.count)
        return []
    }

    /// A family settled or changed anywhere: its lines as they now stand.
    public mutating func familyChanged(_ file: CaseFile, row: CaseloadRow?, context: AppContext) {
        guard let first = items.firstIndex(where: { $0.family == file.family.id }) else { return }
        let template = items[first]
        let refreshed = file.conflicts.map { TeamConflict(family: template.family, reference: template.reference, familyName: template.familyName,
                                                          sensitive: template.sensitive, conflict: $0) }
        items.removeAll { $0.family == file.family.id }
        items.insert(contentsOf: refreshed, at: min(first, items.count))
        table.setCount(items.count)
    }

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        guard let command = keymap.command(for: key) else { return [] }
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
            _ = table.handle(command, visibleRows: max(1, context.screenArea.height - 3))
        case .open:
            guard items.indices.contains(table.selected) else { return [] }
            let item = items[table.selected]
            return [.effect(.openFamily(item.family, then: .conflicts(item.conflict.ref, path: item.conflict.path)))]
        case .back: return [.pop]
        case .help: return [.showHelp]
        case .quit: return [.requestQuit]
        default: break
        }
        return []
    }

    public func render(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        let s = context.strings
        buffer.fill(area, style: ctx[.normal])
        let (summaryRow, body) = area.splitTop(1)
        let families = Set(items.map(\.family)).count
        buffer.put(loading ? s("teamConflicts.loading") : s("teamConflicts.summary", ["n": String(items.count), "families": String(families)]),
                   x: summaryRow.x + 1, y: summaryRow.y, style: ctx[.muted], maxWidth: summaryRow.width - 2)
        guard !loading else { return }
        table.render(into: &buffer, area: body, columns: [
            .init(s("column.family"), width: 14, flex: 2), .init(s("conflicts.column.record"), width: 10, flex: 1),
            .init(s("conflicts.column.field"), width: 12, flex: 1), .init(s("teamConflicts.column.who"), width: 12, flex: 1),
            .init(s("teamConflicts.column.when"), width: 11, fit: true),
        ], context: ctx, emptyText: s("teamConflicts.none")) { i in
            let item = items[i]
            let c = item.conflict
            let who = Set(c.heads.map(\.author)).sorted { $0.raw < $1.raw }.map { context.session?.name($0) ?? $0.raw }.joined(separator: ", ")
            return [.init(item.sensitive ? "\(item.reference) ⊘" : "\(item.reference) \(item.familyName)"), .init(s("kind.\(c.ref.kind.rawValue)")),
                    .init(ConflictScreen.fieldName(c, s)), .init(who), .init(c.heads.map(\.hlc).max().map { s.date($0.day) } ?? "—")]
        }
        buffer.cursor = nil
    }
}

/// One open conflict, for the list across families.
public struct TeamConflict: Sendable, Equatable {
    public var family: Family.ID
    public var reference: String
    public var familyName: String
    /// The family's name is never shown away from it.
    public var sensitive: Bool
    public var conflict: FieldConflict

    public init(family: Family.ID, reference: String, familyName: String, sensitive: Bool, conflict: FieldConflict) {
        self.family = family
        self.reference = reference
        self.familyName = familyName
        self.sensitive = sensitive
        self.conflict = conflict
    }

    /// The open conflicts of one case file.
    public static func of(_ file: CaseFile, row: CaseloadRow) -> [TeamConflict] {
        file.conflicts.map { TeamConflict(family: row.familyID, reference: row.reference, familyName: row.displayName, sensitive: row.sensitive, conflict: $0) }
    }
}
