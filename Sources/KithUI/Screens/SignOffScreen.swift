import KithCore

/// Sign-off: for a team lead, everything the team has sent that waits for an answer; for
/// a worker, what they sent — returned items first, with the lead's answer one key away.
/// Built from caseload rows, so it opens without reading a case file. Enter opens the
/// record (a worker opening a returned item has seen it); `o` answers (a lead) or sends a
/// returned item again (a worker). Away from its family a sensitive family is shown by its
/// reference only.
public struct SignOffScreen: ScreenModel {
    public private(set) var items: [Item] = []
    var table = TableView()
    /// The lead's view (requests to answer) rather than the worker's (requests sent).
    public private(set) var deciding: Bool

    public struct Item: Hashable, Sendable {
        public var family: Family.ID
        public var reference: String
        /// Empty for a sensitive family.
        public var name: String
        public var mark: CaseloadRow.SignOffMark
    }

    public init(rows: [CaseloadRow], context: AppContext) {
        deciding = context.session?.user.role == .teamLead
        for row in rows { merge(row, context: context) }
    }

    /// The requests of one family as its row now has them.
    mutating func merge(_ row: CaseloadRow, context: AppContext) {
        items.removeAll { $0.family == row.familyID }
        guard let session = context.session, session.policy.canSee(row) else { return }
        let me = session.user.id
        for mark in row.signOffs {
            let shown = deciding ? mark.state == .pending && mark.requestedBy != me : mark.requestedBy == me
            guard shown else { continue }
            items.append(Item(family: row.familyID, reference: row.reference, name: row.sensitive ? "" : row.displayName, mark: mark))
        }
        // Returned first, then the oldest request first.
        items.sort { a, b in
            let ra = a.mark.state == .returned ? 0 : 1, rb = b.mark.state == .returned ? 0 : 1
            return (ra, a.mark.requestedOn, a.reference, a.mark.id.raw) < (rb, b.mark.requestedOn, b.reference, b.mark.id.raw)
        }
        table.setCount(items.count)
    }

    public mutating func familyChanged(_ file: CaseFile, row: CaseloadRow?, context: AppContext) {
        merge(row ?? CaseloadRow(file), context: context)
    }

    public static let keys = Keymap(titleKey: "signOff.title", [
        Binding([.enter], .open, footer: true),
        Binding([.char("o")], .signOff, footer: true),
        Binding([.escape], .back, footer: true),
    ] + Keymap.listMoves + Keymap.helpAndQuit)

    public var keymap: Keymap { SignOffScreen.keys }

    public func title(_ context: AppContext) -> String { context.strings(deciding ? "signOff.title.lead" : "signOff.title.worker") }

    var selected: Item? { items.indices.contains(table.selected) ? items[table.selected] : nil }

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        guard let command = keymap.command(for: key) else { return [] }
        let s = context.strings
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
            _ = table.handle(command, visibleRows: max(1, context.screenArea.height - 3))
        case .open:
            guard let item = selected else { return [] }
            return [.effect(.openFamily(item.family, then: .signOff(item.mark.id)))]
        case .signOff:
            guard let item = selected else { return [] }
            if deciding { return [.effect(.openFamily(item.family, then: .form(.decideSignOff(item.family, item.mark.id))))] }
            guard item.mark.state == .returned else { return [.status(s("signOff.stillPending"), .info)] }
            let purpose: FormPurpose = item.mark.closes ? .proposeClosure(item.family) : .requestSignOff(item.family, item.mark.target)
            return [.effect(.openFamily(item.family, then: .form(purpose)))]
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
        let returned = items.filter { $0.mark.state == .returned }.count
        let summary = deciding ? s("signOff.summary.lead", ["n": String(items.count)])
            : s("signOff.summary.worker", ["returned": String(returned), "pending": String(items.count - returned)])
        buffer.put(summary, x: summaryRow.x + 1, y: summaryRow.y, style: ctx[.muted], maxWidth: summaryRow.width - 2)
        let today = context.today
        table.render(into: &buffer, area: body, columns: [
            .init(s("column.sent"), width: 11, fit: true), .init(s("caseload.column.reference"), width: 8, fit: true), .init(s("column.family"), width: 12, flex: 2),
            .init(s("column.what"), width: 12, flex: 1),
            .init(s(deciding ? "column.by" : "column.state"), width: 10, flex: 1), .init(s("column.waiting"), width: 7, alignRight: true, fit: true),
        ], context: ctx, emptyText: s(deciding ? "signOff.empty.lead" : "signOff.empty.worker")) { i in
            let item = items[i]
            let what = item.mark.closes ? s("signOff.closureProposed") : s(item.mark.target.kind.labelKey)
            let family = item.name.isEmpty ? "⊘ " + s("caseload.sensitive.short") : item.name
            let who: TableView.Text = deciding ? .init(context.session?.name(item.mark.requestedBy) ?? "")
                : .init(s(item.mark.state.labelKey), item.mark.state == .returned ? .badgeSoon : nil)
            return [.init(s.date(item.mark.requestedOn)), .init(item.reference), .init(family, item.name.isEmpty ? .muted : nil), .init(what), who,
                    .init(s("signOff.days", ["n": String(item.mark.requestedOn.days(until: today))]))]
        }
        buffer.cursor = nil
    }
}
