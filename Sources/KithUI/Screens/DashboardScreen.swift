import KithCore

/// The team lead's dashboard: each worker's load and what is due, the team's families by
/// level and status, month by month openings, closures and steps, and how families'
/// ratings moved on the seven outcomes and the three sides of the strengths and needs
/// assessment. Everything is counted from caseload rows (`TeamDashboard`), so it opens at
/// once; every number is selectable, and Enter lists exactly the families behind it.
///
/// Bars and sparklines are Unicode blocks with their number beside them, so nothing
/// depends on colour. At 80 columns headings are short and the page scrolls; at 120x40
/// headings are whole and it fits.
public struct DashboardScreen: ScreenModel {
    public private(set) var dashboard: TeamDashboard
    let rows: [CaseloadRow]
    /// The selected number: its line and its place among the line's numbers.
    var selection = Position(line: 0, number: 0)
    /// The first line shown.
    var scroll = 0
    /// Drafts on this laptop, as last read (asked for as the screen opens).
    var drafts: [TeamDashboard.DraftMark] = []
    var pendingDrafts: RequestID?

    struct Position: Hashable, Sendable {
        var line: Int
        var number: Int
    }

    public init(rows: [CaseloadRow], context: AppContext) {
        self.rows = rows
        dashboard = TeamDashboard(rows: rows, workers: DashboardScreen.caseHolders(context),
                                  measures: TeamDashboard.followedMeasures(), today: context.today)
        let lines = layout(context)
        selection.line = lines.firstIndex { !$0.numbers.isEmpty } ?? 0
    }

    /// The team's members who hold cases (leads and workers, active), by name.
    public static func caseHolders(_ context: AppContext) -> [User.ID] {
        guard let session = context.session else { return [] }
        return session.users.values.filter { $0.active && $0.role != .admin }
            .sorted { ($0.displayName, $0.id.raw) < ($1.displayName, $1.id.raw) }.map(\.id)
    }

    public static let keys = Keymap(titleKey: "dashboard.title", [
        Binding([.enter], .open, footer: true),
        Binding([.char("e")], .exportList, footer: true),
        Binding([.left, .char("h")], .previousField),
        Binding([.right, .char("l"), .tab], .nextField),
        Binding([.escape], .back, footer: true),
    ] + Keymap.listMoves + Keymap.helpAndQuit)

    public var keymap: Keymap { DashboardScreen.keys }

    public func title(_ context: AppContext) -> String { context.strings("dashboard.title") }

    // MARK: - Update

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        guard let command = keymap.command(for: key) else { return [] }
        let lines = layout(context)
        let withNumbers = lines.indices.filter { !lines[$0].numbers.isEmpty }
        switch command {
        case .moveUp: moveLine(-1, lines, withNumbers)
        case .moveDown: moveLine(1, lines, withNumbers)
        case .pageUp: moveLine(-DashboardScreen.visibleLines(context), lines, withNumbers)
        case .pageDown: moveLine(DashboardScreen.visibleLines(context), lines, withNumbers)
        case .top: if let first = withNumbers.first { selection = Position(line: first, number: 0) }
        case .bottom: if let last = withNumbers.last { selection = Position(line: last, number: 0) }
        case .previousField: selection.number = max(0, selection.number - 1)
        case .nextField:
            if lines.indices.contains(selection.line) { selection.number = min(lines[selection.line].numbers.count - 1, selection.number + 1) }
        case .open:
            guard lines.indices.contains(selection.line), lines[selection.line].numbers.indices.contains(selection.number) else { return [] }
            let number = lines[selection.line].numbers[selection.number]
            return [.push(.caseload(CaseloadScreen(rows: rows, only: number.count.families, label: number.label, context: context)))]
        case .exportList:
            guard lines.indices.contains(selection.line), lines[selection.line].numbers.indices.contains(selection.number) else { return [] }
            let number = lines[selection.line].numbers[selection.number]
            return [.effect(.exportCaseload(families: number.count.families))]
        case .back: return [.pop]
        case .help: return [.showHelp]
        case .quit: return [.requestQuit]
        default: break
        }
        keepVisible(lines, context)
        return []
    }

    private mutating func moveLine(_ step: Int, _ lines: [Line], _ withNumbers: [Int]) {
        guard let here = withNumbers.firstIndex(of: selection.line) ?? withNumbers.first else { return }
        let target = withNumbers[min(max(0, here + step), withNumbers.count - 1)]
        // Keep the column where the line below has one.
        selection = Position(line: target, number: min(selection.number, lines[target].numbers.count - 1))
    }

    private mutating func keepVisible(_ lines: [Line], _ context: AppContext) {
        let visible = DashboardScreen.visibleLines(context)
        // A section's first line comes into view with its title and heading.
        var top = selection.line
        while top > 0, lines[top - 1].kind == .header || lines[top - 1].kind == .title { top -= 1 }
        if selection.line >= scroll + visible { scroll = selection.line - visible + 1 }
        if top < scroll { scroll = top }
        scroll = max(0, min(scroll, max(0, lines.count - visible)))
    }

    static func visibleLines(_ context: AppContext) -> Int { max(1, context.screenArea.height) }

    /// A family's row changed (a save, a sync): counted again.
    public mutating func familyChanged(_ file: CaseFile, row: CaseloadRow?, context: AppContext) {
        guard let row else { return }
        var all = rows
        if let i = all.firstIndex(where: { $0.familyID == row.familyID }) { all[i] = row } else { all.append(row) }
        let kept = (selection, scroll, drafts, pendingDrafts)
        self = DashboardScreen(rows: all, context: context)
        (selection, scroll, drafts, pendingDrafts) = kept
        dashboard.countDrafts(drafts)
    }

    /// The drafts (who, which family, when: never what) are read as the screen opens.
    public mutating func appear(context: AppContext) -> [ScreenAction] {
        let request = Request(context)
        pendingDrafts = request.id
        return [.effect(.loadDrafts(request))]
    }

    public mutating func receive(_ result: ScreenResult, for request: RequestID, context: AppContext) -> [ScreenAction] {
        guard request == pendingDrafts else { return [] }
        pendingDrafts = nil
        if case .drafts(let marks) = result {
            drafts = marks
            dashboard.countDrafts(marks)
        }
        return []
    }

    // MARK: - Layout

    /// One line of the page: text pieces and numbers, each number with the families
    /// behind it and what it is (named on the caseload it opens).
    struct Line: Sendable {
        enum Kind: Sendable { case title, header, body, blank }
        var kind: Kind
        var pieces: [Piece]
        var numbers: [Number] { pieces.compactMap { if case .number(let n) = $0 { n } else { nil } } }
    }

    enum Piece: Sendable {
        /// Text at a column, in a role.
        case text(String, column: Int, Role)
        case number(Number)
    }

    struct Number: Sendable {
        var count: TeamDashboard.Count
        var label: String
        var column: Int
        /// Drawn before the number (a bar or a block of a sparkline).
        var prefix: String = ""
        /// Right-aligned in this many columns (prefix included).
        var width: Int
        /// Shown instead of the count (a mean score).
        var display: String?
    }

    /// The page at the current width.
    func layout(_ context: AppContext) -> [Line] {
        let s = context.strings
        let wide = context.size.width >= 110
        var lines: [Line] = []
        func title(_ key: String) {
            if !lines.isEmpty { lines.append(Line(kind: .blank, pieces: [])) }
            lines.append(Line(kind: .title, pieces: [.text(s(key), column: 1, .section)]))
        }

        // Workers.
        title("dashboard.section.workers")
        let columns: [(key: String, value: KeyPath<TeamDashboard.WorkerLine, TeamDashboard.Count>)] = [
            ("led", \.led), ("coworked", \.coworked), ("overdue", \.overdue), ("reviews", \.reviewsThisWeek),
            ("safetyPlans", \.safetyPlansDue), ("noContact30", \.noContact30), ("noContact60", \.noContact60),
            ("noContact90", \.noContact90), ("flags", \.flags), ("conflicts", \.conflicts),
            ("signOff", \.awaitingSignOff), ("drafts", \.staleDrafts),
        ]
        // Workers' names are cut shorter than other labels: twelve columns must fit 80.
        let nameWidth = wide ? 18 : 13, labelWidth = wide ? 20 : 16
        let cell = wide ? 8 : 5
        var header: [Piece] = [.text(s("dashboard.column.worker"), column: 1, .listHeader)]
        for (n, column) in columns.enumerated() {
            let text = s("dashboard.column.\(column.key)\(wide ? "" : ".short")")
            header.append(.text(String(repeating: " ", count: max(0, cell - DashboardScreen.width(text))) + text, column: 1 + nameWidth + n * cell, .listHeader))
        }
        lines.append(Line(kind: .header, pieces: header))
        for worker in dashboard.workers {
            let name = context.session?.name(worker.user) ?? worker.user.raw
            var pieces: [Piece] = [.text(name, column: 1, .normal)]
            for (n, column) in columns.enumerated() {
                pieces.append(.number(Number(count: worker[keyPath: column.value], label: "\(name) · \(s("dashboard.column.\(column.key)"))",
                                             column: 1 + nameWidth + n * cell, width: cell)))
            }
            lines.append(Line(kind: .body, pieces: pieces))
        }
        for text in DashboardScreen.wrap(s("dashboard.legend"), width: context.size.width - 2) {
            lines.append(Line(kind: .body, pieces: [.text(text, column: 1, .muted)]))
        }

        // Families by level and status.
        title("dashboard.section.families")
        var levels: [Piece] = [.text(s("dashboard.openByLevel"), column: 1, .muted)]
        var x = 1 + labelWidth
        for level in ServiceLevel.allCases {
            let label = s(wide ? level.labelKey : "level.short.\(level.rawValue)")
            levels.append(.text(label, column: x, .normal))
            x += DashboardScreen.width(label) + 1
            levels.append(.number(Number(count: dashboard.byLevel[level] ?? .init(), label: s("dashboard.openAt", ["level": s(level.labelKey)]), column: x, width: 4)))
            x += 6
        }
        lines.append(Line(kind: .body, pieces: levels))
        var statuses: [Piece] = [.text(s("dashboard.byStatus"), column: 1, .muted)]
        x = 1 + labelWidth
        for status in FamilyStatus.allCases {
            let label = s(wide ? status.labelKey : "status.short.\(status.rawValue)")
            statuses.append(.text(label, column: x, .normal))
            x += DashboardScreen.width(label) + 1
            statuses.append(.number(Number(count: dashboard.byStatus[status] ?? .init(), label: s(status.labelKey), column: x, width: 4)))
            x += 6
        }
        lines.append(Line(kind: .body, pieces: statuses))

        // Month by month.
        title("dashboard.section.months")
        let monthCell = wide ? 10 : 7
        var monthHeader: [Piece] = []
        for (n, month) in dashboard.months.enumerated() {
            let text = s("month.short.\(month.month)")
            monthHeader.append(.text(String(repeating: " ", count: max(0, monthCell - DashboardScreen.width(text))) + text, column: 1 + labelWidth + n * monthCell, .listHeader))
        }
        lines.append(Line(kind: .header, pieces: monthHeader))
        func monthLine(_ key: String, role: Role = .normal, _ value: (TeamDashboard.Month) -> TeamDashboard.Count) {
            let counts = dashboard.months.map(value)
            let top = counts.map(\.value).max() ?? 0
            var pieces: [Piece] = [.text(s(key), column: 1, role)]
            for (n, (month, count)) in zip(dashboard.months, counts).enumerated() {
                pieces.append(.number(Number(count: count, label: "\(s(key)) · \(s("month.long.\(month.month)")) \(month.year)",
                                             column: 1 + labelWidth + n * monthCell, prefix: DashboardScreen.block(count.value, of: top) + " ", width: monthCell)))
            }
            lines.append(Line(kind: .body, pieces: pieces))
        }
        monthLine("dashboard.opened") { $0.opened }
        monthLine("dashboard.closed") { $0.closed }
        for reason in Closure.Reason.allCases where dashboard.months.contains(where: { $0.closedByReason[reason] != nil }) {
            monthLine(reason.labelKey, role: .muted) { $0.closedByReason[reason] ?? .init() }
        }
        monthLine("dashboard.stepUps") { $0.stepUps }
        monthLine("dashboard.stepDowns") { $0.stepDowns }

        // Outcomes.
        title("dashboard.section.outcomes")
        let barWidth = wide ? 16 : 8
        let quarterColumn = 1 + labelWidth + 3 * 5 + barWidth + 2
        let quarterCell = wide ? 10 : 7
        var outcomeHeader: [Piece] = [.text(s("dashboard.movedHeader"), column: 1 + labelWidth, .listHeader)]
        for (n, quarter) in (dashboard.movements.first?.quarters ?? []).enumerated() {
            let text = s("dashboard.quarter", ["q": String(quarter.quarter), "year": String(quarter.year % 100)])
            outcomeHeader.append(.text(String(repeating: " ", count: max(0, quarterCell - DashboardScreen.width(text))) + text, column: quarterColumn + n * quarterCell, .listHeader))
        }
        lines.append(Line(kind: .header, pieces: outcomeHeader))
        for movement in dashboard.movements {
            let name = DashboardScreen.measureName(movement, context: context)
            var pieces: [Piece] = [.text(name, column: 1, .normal)]
            let total = movement.improved.value + movement.same.value + movement.worse.value
            for (n, (mark, count, key)) in [("▲", movement.improved, "dashboard.improved"), ("▬", movement.same, "dashboard.same"),
                                             ("▼", movement.worse, "dashboard.worse")].enumerated() {
                pieces.append(.number(Number(count: count, label: "\(name) · \(s(key))", column: 1 + labelWidth + n * 5, prefix: mark, width: 5)))
            }
            pieces.append(.text(DashboardScreen.stackedBar(movement, width: barWidth, total: total), column: 1 + labelWidth + 16, .muted))
            for (n, quarter) in movement.quarters.enumerated() {
                let percent = quarter.mean.map { "\(Int(($0 * 100).rounded()))%" } ?? "—"
                pieces.append(.number(Number(count: quarter.assessed, label: "\(name) · \(s("dashboard.quarter", ["q": String(quarter.quarter), "year": String(quarter.year % 100)]))",
                                             column: quarterColumn + n * quarterCell, prefix: quarter.mean.map { DashboardScreen.level($0) + " " } ?? "",
                                             width: quarterCell, display: percent)))
            }
            lines.append(Line(kind: .body, pieces: pieces))
        }
        return lines
    }

    /// A block from ▁ to █ for `value` against the largest `top` (a space for none).
    static func block(_ value: Int, of top: Int) -> String {
        guard value > 0, top > 0 else { return " " }
        let blocks = Array("▁▂▃▄▅▆▇█")
        return String(blocks[min(7, max(0, Int((Double(value) / Double(top) * 7).rounded(.up))))])
    }

    /// A block for a score from 0 to 1.
    static func level(_ score: Double) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        return String(blocks[min(7, max(0, Int((score * 7).rounded())))])
    }

    /// Improved, same and worse as one bar of `width` cells (▲ full, ▬ half, ▼ light).
    static func stackedBar(_ movement: TeamDashboard.Movement, width: Int, total: Int) -> String {
        guard total > 0 else { return "" }
        let parts = [(movement.improved.value, "█"), (movement.same.value, "▒"), (movement.worse.value, "░")]
        var cells = parts.map { Int((Double($0.0) / Double(total) * Double(width)).rounded()) }
        // Rounding may leave a cell over or short: the largest part gives or takes it.
        let largest = cells.indices.max { cells[$0] < cells[$1] } ?? 0
        cells[largest] += width - cells.reduce(0, +)
        return zip(parts, cells).map { String(repeating: $0.1, count: max(0, $1)) }.joined()
    }

    /// The measure's short name (an agency's instrument: the item or domain as written).
    static func measureName(_ movement: TeamDashboard.Movement, context: AppContext) -> String {
        let key = "dashboard.measure.\(movement.measure)"
        if context.strings.has(key) { return context.strings(key) }
        let instrument = context.instruments.instruments.first { $0.id == movement.instrumentID }
        let language = context.strings.language
        if let domain = instrument?.domains.first(where: { $0.id == movement.measure }) { return domain.title.text(language) }
        if let item = instrument?.items.first(where: { $0.id == movement.measure }) { return item.text.text(language) }
        return movement.measure
    }

    // MARK: - View

    public func render(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        buffer.fill(area, style: ctx[.normal])
        let lines = layout(context)
        for (offset, index) in (scroll..<min(lines.count, scroll + area.height)).enumerated() {
            let y = area.y + offset
            for (n, piece) in lines[index].pieces.enumerated() {
                switch piece {
                case .text(let text, let column, let role):
                    // Text runs up to the next piece.
                    let next = lines[index].pieces.dropFirst(n + 1).first.map(DashboardScreen.column) ?? area.width
                    buffer.put(text, x: area.x + column, y: y, style: ctx[role], maxWidth: max(0, min(next - column, area.width - column)))
                case .number(let number):
                    let position = lines[index].numbers.firstIndex { $0.column == number.column } ?? 0
                    let selected = selection == Position(line: index, number: position)
                    let shown = number.prefix + (number.display ?? String(number.count.value))
                    let padded = String(repeating: " ", count: max(0, number.width - DashboardScreen.width(shown))) + shown
                    let role: Role = selected ? .listSelected : number.count.value == 0 ? .muted : .normal
                    buffer.put(padded, x: area.x + number.column, y: y, style: ctx[role], maxWidth: max(0, area.width - number.column))
                }
            }
        }
    }

    static func width(_ text: String) -> Int { text.reduce(0) { $0 + DisplayWidth.of($1) } }

    /// Words in lines of at most `width` columns.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && self.width(current) + 1 + self.width(String(word)) > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static func column(_ piece: Piece) -> Int {
        switch piece {
        case .text(_, let column, _): column
        case .number(let number): number.column
        }
    }
}

extension DashboardScreen: Equatable {
    public static func == (a: DashboardScreen, b: DashboardScreen) -> Bool {
        a.dashboard == b.dashboard && a.selection == b.selection && a.scroll == b.scroll && a.rows == b.rows
    }
}
