import KithCore

/// Actions from every plan, meeting and contact note — for one family, or across the
/// user's own families — with open / done / overdue. Marking one done records who and when,
/// and so does reopening one marked done by mistake. Across families the user's own
/// actions (theirs to do or to check) show first; `a` shows every action on their
/// families. Away from its family a sensitive family's name is never shown.
public struct ActionsScreen: ScreenModel {
    public enum Scope: Sendable, Equatable {
        case family(CaseFile)
        case mine
    }

    public private(set) var scope: Scope
    public internal(set) var items: [WorkerAction] = []
    var table = TableView()
    var showDone = false
    /// Only the user's own actions (across families; the default there).
    var onlyMine: Bool
    /// The list being read (across families), and the save on its way.
    var pendingLoad: RequestID?
    var pendingSave: RequestID?
    /// What the status line says once the pending save is durable.
    var pendingDoneKey = "status.actionDone"
    var loading: Bool

    public init(scope: Scope) {
        self.scope = scope
        loading = false
        onlyMine = false
        if case .family(let file) = scope {
            items = WorkerAction.of(file, for: nil)
        } else {
            loading = true
            onlyMine = true
        }
        table.setCount(visible.count)
    }

    /// Across the user's families, the list is asked for as the screen opens.
    public mutating func appear(context: AppContext) -> [ScreenAction] {
        guard case .mine = scope, loading, pendingLoad == nil else { return [] }
        let request = Request(context)
        pendingLoad = request.id
        return [.effect(.loadMyActions(request))]
    }

    public mutating func receive(_ result: ScreenResult, for request: RequestID, context: AppContext) -> [ScreenAction] {
        switch result {
        case .actions(let actions) where request == pendingLoad:
            pendingLoad = nil
            items = actions
            loading = false
            table.setCount(visible.count)
            return []
        case .saved where request == pendingSave:
            // (The list itself follows the family in `familyChanged`.)
            pendingSave = nil
            return [.status(context.strings(pendingDoneKey), .info)]
        case .failed:
            if request == pendingSave { pendingSave = nil }
            if request == pendingLoad { pendingLoad = nil; loading = false }
            return []
        default:
            return []
        }
    }

    /// A family's actions as they now are (marked done here, or changed anywhere).
    public mutating func familyChanged(_ file: CaseFile, row: CaseloadRow?, context: AppContext) {
        if case .family(let shown) = scope, shown.family.id != file.family.id { return }
        if case .mine = scope, !items.contains(where: { $0.family == file.family.id }) { return }
        // Whose each action is doesn't change when one is marked done or reopened.
        let mine = Set(items.filter(\.isMine).map { "\($0.item.source)/\($0.item.action.id)" })
        var refreshed = WorkerAction.of(file, for: nil)
        for i in refreshed.indices { refreshed[i].isMine = mine.contains("\(refreshed[i].item.source)/\(refreshed[i].item.action.id)") }
        items = items.filter { $0.family != file.family.id } + refreshed
        if case .family = scope { scope = .family(file) }
        table.setCount(visible.count)
    }

    /// Names one action among all the families' (ids are unique only within their record).
    static func key(_ action: WorkerAction) -> String { "\(action.family.raw)|\(action.item.source)|\(action.item.action.id)" }

    /// The person confirmed marking an action done, or reopening it: the action as the
    /// list holds it now.
    public mutating func chose(_ choice: DialogChoice, context: AppContext) -> [ScreenAction] {
        guard let action = items.first(where: { ActionsScreen.key($0) == choice.value }) else { return [] }
        let user = context.session?.user.id ?? User.ID("")
        let record: ActionCompletion
        switch choice.id {
        case "done":
            guard !action.item.isDone else { return [.status(context.strings("actions.alreadyDone"), .info)] }
            record = ActionCompletion(id: context.ids.id(), familyID: action.family, source: action.item.source, actionID: action.item.action.id,
                                      by: user, on: context.today)
            pendingDoneKey = "status.actionDone"
        case "reopen":
            guard var completion = action.item.completion else { return [.status(context.strings("actions.notDone"), .info)] }
            completion.reopenedBy = user
            completion.reopenedOn = context.today
            record = completion
            pendingDoneKey = "status.actionReopened"
        default:
            return []
        }
        let request = Request(context)
        pendingSave = request.id
        return [.effect(.save(SaveRequest(request, family: action.family, records: [record], draftID: nil)))]
    }

    /// Open actions first by date (undated last), then done ones when shown.
    var visible: [WorkerAction] {
        let shown = onlyMine ? items.filter(\.isMine) : items
        let open = shown.filter { !$0.item.isDone }.sorted { ($0.item.action.byWhen?.ordinal ?? Int.max, $0.reference) < ($1.item.action.byWhen?.ordinal ?? Int.max, $1.reference) }
        let done = showDone ? shown.filter(\.item.isDone).sorted { ($0.item.completion?.on ?? Day(ordinal: 0)) > ($1.item.completion?.on ?? Day(ordinal: 0)) } : []
        return open + done
    }

    public static let keys = Keymap(titleKey: "actions.title", [
        Binding([.char("d")], .markDone, footer: true),
        Binding([.char("u")], .reopenAction),
        Binding([.enter], .open, footer: true),
        Binding([.char("a")], .toggleMine, footer: true),
        Binding([.char("h")], .filterStatus, footer: true),
        Binding([.escape], .back, footer: true),
    ] + Keymap.listMoves + Keymap.helpAndQuit)

    public var keymap: Keymap { ActionsScreen.keys }

    public func title(_ context: AppContext) -> String {
        switch scope {
        case .family(let file): context.strings("actions.family", ["name": file.family.displayName])
        case .mine: context.strings("actions.mine")
        }
    }

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        guard let command = keymap.command(for: key) else { return [] }
        let s = context.strings
        let list = visible
        let selected = list.indices.contains(table.selected) ? list[table.selected] : nil
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
            _ = table.handle(command, visibleRows: max(1, context.screenArea.height - 3))
        case .filterStatus:
            showDone.toggle()
            table.setCount(visible.count)
        case .toggleMine:
            guard case .mine = scope else { return [] }
            onlyMine.toggle()
            table.setCount(visible.count)
            return [.status(s(onlyMine ? "actions.showingMine" : "actions.showingAll"), .info)]
        case .open:
            guard let selected else { return [] }
            if case .family(let file) = scope { return [.push(.record(RecordScreen(file: file, ref: selected.item.source, context: context)))] }
            return [.effect(.openFamily(selected.family, then: .show))]
        case .markDone:
            guard let selected else { return [] }
            guard !selected.item.isDone else { return [.status(s("actions.alreadyDone"), .info)] }
            let dialog = Dialog(title: s("actions.confirm.title"), message: [selected.item.action.what, s("actions.confirm.explain")],
                                choices: [(.char("y"), s("actions.confirm.yes")), (.escape, s("dialog.cancel"))])
            return [.dialog(PendingDialog(dialog: dialog, choices: [.char("y"): DialogChoice("done", ActionsScreen.key(selected))]))]
        case .reopenAction:
            guard let selected, selected.item.completion != nil else { return [.status(s("actions.notDone"), .info)] }
            let dialog = Dialog(title: s("actions.reopen.title"), message: [selected.item.action.what, s("actions.reopen.explain")],
                                choices: [(.char("y"), s("actions.reopen.yes")), (.escape, s("dialog.cancel"))])
            return [.dialog(PendingDialog(dialog: dialog, choices: [.char("y"): DialogChoice("reopen", ActionsScreen.key(selected))]))]
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
        let shown = onlyMine ? items.filter(\.isMine) : items
        let open = shown.filter { !$0.item.isDone }
        let overdue = open.filter { $0.item.status(today: context.today) == .overdue }
        var summary = s("actions.summary", ["open": String(open.count), "overdue": String(overdue.count), "done": String(shown.count - open.count)])
        if case .mine = scope {
            summary = s(onlyMine ? "actions.scope.mine" : "actions.scope.all", ["n": String(items.count)]) + " · " + summary
        }
        // The hint about done actions only when it fits whole (the footer has the key too).
        let hint = " · " + s("actions.doneHidden")
        if !showDone && DisplayWidth.of(summary + hint) <= summaryRow.width - 2 { summary += hint }
        buffer.put(summary, x: summaryRow.x + 1, y: summaryRow.y, style: ctx[.muted], maxWidth: summaryRow.width - 2)
        if loading {
            buffer.put(s("actions.loading"), x: body.x + 2, y: body.y + 1, style: ctx[.muted])
            return
        }
        let list = visible
        var columns: [TableView.Column] = [
            .init(s("column.state"), width: 9, fit: true), .init(s("column.due"), width: 11, fit: true), .init(s("field.action.what"), width: 16, flex: 3),
            .init(s("field.action.who"), width: 10, flex: 1), .init(s("field.action.whoChecks"), width: 10),
        ]
        let mine: Bool = if case .mine = scope { true } else { false }
        if mine { columns.append(.init(s("column.family"), width: 12, flex: 1)) }
        let mineScope: Bool = if case .mine = scope { true } else { false }
        let empty = mineScope && items.isEmpty ? s("actions.noFamilies") : onlyMine ? s("actions.noneMine") : s("actions.none")
        table.render(into: &buffer, area: body, columns: columns, context: ctx, emptyText: empty) { i in
            let a = list[i]
            let status = a.item.status(today: context.today)
            let marker = status == .overdue ? "! " : status == .done ? "✓ " : "  "
            var cells: [TableView.Text] = [
                .init(marker + s(status.labelKey), status == .overdue ? .badgeOverdue : nil),
                .init(a.item.action.byWhen.map(s.date) ?? "—"), .init(a.item.action.what), .init(a.item.action.who), .init(a.item.action.whoChecks),
            ]
            if mine { cells.append(.init(a.sensitive ? "\(a.reference) ⊘" : "\(a.reference) \(a.familyName)")) }
            return cells
        }
        buffer.cursor = nil
    }
}
