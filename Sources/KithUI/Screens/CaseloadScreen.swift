import KithCore

/// The caseload: every family the user may see, with what is due. Sort by any column,
/// filter, and search as you type (accent-insensitive and by sound).
///
/// The sorted order of all rows is kept, and filters and search only select from it, so
/// a keystroke never re-sorts 10,000 families; it only scans their prepared search bytes.
public struct CaseloadScreen: ScreenModel {
    public private(set) var rows: [CaseloadRow]
    /// Indices into `rows`, in the current sort order, before filters.
    private var sorted: [Int] = []
    /// Indices into `rows` that pass the filters, in sort order (the search scans these).
    private var filtered: [Int] = []
    /// Indices into `rows` currently listed.
    public private(set) var shown: [Int] = []
    /// The search being applied (nil when none).
    private var activeQuery: SearchQuery?
    /// Open flags and overdue families in the person's view, counted when rows or filters
    /// change (not at every frame: 10,000 rows).
    private var attentionCounts = AttentionCounts()
    var table = TableView()
    var sortColumn: Column = .nextDue
    var ascending = true
    public internal(set) var filters = Filters()
    var search = TextField(limit: 200)
    var searching = false

    public enum Column: Int, CaseIterable, Sendable {
        case reference, family, level, status, lead, nextDue, lastContact, flags
        var titleKey: String { "caseload.column.\(self)" }
    }

    public struct Filters: Hashable, Sendable {
        /// Only families the user leads or co-works (team leads may switch to the whole team).
        var mineOnly = false
        var overdue = false
        var dueThisWeek = false
        var level: ServiceLevel?
        /// nil: every status except closed.
        var status: FamilyStatus?
        var showClosed = false
        var flagged = false
        /// Only families with changes made apart on two laptops waiting for a choice.
        var conflicts = false
        /// Only families with no contact for at least this many days.
        var noContactDays: Int?
        /// Names of sensitive families are hidden (the default, for working in public places).
        var hideSensitiveNames = true
        /// Only families this person leads or co-works.
        var worker: User.ID?
        /// Only families with a safety plan whose review is due within 7 days or past.
        var safetyPlanDue = false
        /// Only families with no completed assessment for at least this many months.
        var noAssessmentMonths: Int?
        /// Exactly these families, whatever their status (a number opened on the dashboard),
        /// and what the number was.
        var only: Set<Family.ID>?
        var onlyLabel = ""

        public init() {}

        var isDefault: Bool {
            var plain = Filters()
            plain.mineOnly = mineOnly
            plain.hideSensitiveNames = hideSensitiveNames
            return self == plain
        }
    }

    public init(rows: [CaseloadRow], context: AppContext) {
        self.rows = rows
        filters.mineOnly = context.session?.user.role == .worker
        resort(context: context)
    }

    /// Exactly `families` of `rows` (the families behind a number on the dashboard), named by `label`.
    public init(rows: [CaseloadRow], only families: [Family.ID], label: String, context: AppContext) {
        self.rows = rows
        filters.only = Set(families)
        filters.onlyLabel = label
        resort(context: context)
    }

    public static let keys = Keymap(titleKey: "caseload.title", [
        Binding([.enter], .open, footer: true),
        Binding([.char("/")], .search, footer: true),
        Binding([.char("n")], .newFamily, footer: true),
        Binding([.char("s")], .sortNext, footer: true),
        Binding([.char("S")], .sortReverse),
        Binding([.char("o")], .filterOverdue, footer: true),
        Binding([.char("w")], .filterDueWeek),
        Binding([.char("l")], .filterLevel),
        Binding([.char("t")], .filterStatus),
        Binding([.char("f")], .filterFlagged),
        Binding([.char("C")], .filterConflicts),
        Binding([.char("X")], .teamConflicts),
        Binding([.char("c")], .filterNoContact),
        Binding([.char("W")], .filterWorker),
        Binding([.char("P")], .filterSafetyPlan),
        Binding([.char("A")], .filterNoAssessment),
        Binding([.char("d")], .dashboard),
        Binding([.char("O")], .signOffs),
        Binding([.char("T")], .searchWritten),
        Binding([.char("I")], .referral),
        Binding([.char("m")], .toggleScope),
        Binding([.char("h")], .toggleSensitive),
        Binding([.char("x")], .clearFilters),
        Binding([.char("a")], .myActions),
        Binding([.escape], .clearSearch),
    ] + Keymap.listMoves + Keymap.helpAndQuit)

    public var keymap: Keymap { CaseloadScreen.keys }

    public func title(_ context: AppContext) -> String {
        context.strings(filters.mineOnly ? "caseload.title.mine" : "caseload.title.team")
    }

    public func takesText(_ key: Key) -> Bool {
        searching && (key.typedCharacter != nil || key == .backspace || key == .delete || key == .left || key == .right)
    }

    public var selectedRow: CaseloadRow? {
        shown.indices.contains(table.selected) ? rows[shown[table.selected]] : nil
    }

    /// Body rows of the table at the current window size.
    static func visibleRows(_ context: AppContext) -> Int { max(1, context.screenArea.height - 3) }

    // MARK: - Update

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        if searching {
            switch key {
            case .enter:
                searching = false
                return openSelected()
            case .escape:
                searching = false
                if search.text.isEmpty { return [] }
                search = TextField(limit: 200)
                refilter(context: context)
                return []
            case .tab, .backTab:
                searching = false
                return []
            case .up, .down, .pageUp, .pageDown:
                let command: Command = key == .up ? .moveUp : key == .down ? .moveDown : key == .pageUp ? .pageUp : .pageDown
                _ = table.handle(command, visibleRows: CaseloadScreen.visibleRows(context))
                return []
            default:
                let before = search.text
                _ = search.handle(key)
                if search.text != before { refilter(context: context, filtersChanged: false) }
                return []
            }
        }
        guard let command = keymap.command(for: key) else { return [] }
        return run(command, context: context)
    }

    public mutating func paste(_ text: String, context: AppContext) -> [ScreenAction] {
        searching = true
        _ = search.paste(text)
        refilter(context: context, filtersChanged: false)
        return []
    }

    public mutating func run(_ command: Command, context: AppContext) -> [ScreenAction] {
        switch command {
        case .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom:
            _ = table.handle(command, visibleRows: CaseloadScreen.visibleRows(context))
        case .open:
            return openSelected()
        case .search:
            searching = true
        case .clearSearch:
            // A list opened from a dashboard number goes back to the dashboard.
            if search.text.isEmpty && filters.only != nil { return [.pop] }
            guard !search.text.isEmpty else { return [] }
            search = TextField(limit: 200)
            refilter(context: context)
        case .sortNext:
            sortColumn = Column(rawValue: (sortColumn.rawValue + 1) % Column.allCases.count)!
            ascending = true
            resort(context: context)
        case .sortReverse:
            ascending.toggle()
            resort(context: context)
        case .filterOverdue:
            filters.overdue.toggle()
            refilter(context: context)
        case .filterDueWeek:
            filters.dueThisWeek.toggle()
            refilter(context: context)
        case .filterLevel:
            filters.level = CaseloadScreen.next(after: filters.level, in: [nil] + ServiceLevel.allCases)
            refilter(context: context)
        case .filterStatus:
            // open (all but closed) → each status → everything → open
            let cycle: [(FamilyStatus?, Bool)] = [(nil, false)] + FamilyStatus.allCases.map { ($0, false) } + [(nil, true)]
            let index = cycle.firstIndex { $0.0 == filters.status && $0.1 == filters.showClosed } ?? 0
            (filters.status, filters.showClosed) = cycle[(index + 1) % cycle.count]
            refilter(context: context)
        case .filterFlagged:
            filters.flagged.toggle()
            refilter(context: context)
        case .filterConflicts:
            filters.conflicts.toggle()
            refilter(context: context)
        case .filterNoContact:
            filters.noContactDays = CaseloadScreen.next(after: filters.noContactDays, in: [nil, 30, 60, 90])
            refilter(context: context)
        case .filterWorker:
            // Nobody → each member who holds cases, by name → nobody.
            filters.worker = CaseloadScreen.next(after: filters.worker, in: [nil] + DashboardScreen.caseHolders(context))
            if filters.worker != nil { filters.mineOnly = false }
            refilter(context: context)
        case .filterSafetyPlan:
            filters.safetyPlanDue.toggle()
            refilter(context: context)
        case .filterNoAssessment:
            filters.noAssessmentMonths = CaseloadScreen.next(after: filters.noAssessmentMonths, in: [nil, 3, 6, 12])
            refilter(context: context)
        case .dashboard:
            return [.push(.dashboard(DashboardScreen(rows: rows, context: context)))]
        case .signOffs:
            return [.push(.signOffList(SignOffScreen(rows: rows, context: context)))]
        case .searchWritten:
            return [.push(.searchWritten(TextSearchScreen(family: nil, context: context)))]
        case .referral:
            guard context.session?.policy.canCreateFamilies == true else { return [.status(context.strings("error.notPermitted"), .error)] }
            return [.push(.form(FormScreen(purpose: .referral(nil), file: nil, context: context)))]
        case .toggleScope:
            guard context.session?.user.role == .teamLead else {
                return [.status(context.strings("caseload.scope.workerOnly"), .info)]
            }
            filters.mineOnly.toggle()
            refilter(context: context)
        case .toggleSensitive:
            filters.hideSensitiveNames.toggle()
            return [.status(context.strings(filters.hideSensitiveNames ? "caseload.sensitive.hidden" : "caseload.sensitive.shown"), .info)]
        case .clearFilters:
            let mine = filters.mineOnly, hide = filters.hideSensitiveNames
            filters = Filters()
            filters.mineOnly = mine
            filters.hideSensitiveNames = hide
            search = TextField(limit: 200)
            refilter(context: context)
        case .newFamily:
            guard context.session?.policy.canCreateFamilies == true else {
                return [.status(context.strings("error.notPermitted"), .error)]
            }
            return [.push(.form(FormScreen(purpose: .newFamily, file: nil, context: context)))]
        case .myActions:
            return [.push(.actions(ActionsScreen(scope: .mine)))]
        case .teamConflicts:
            return [.push(.teamConflicts(TeamConflictsScreen()))]
        case .help:
            return [.showHelp]
        case .quit:
            return [.requestQuit]
        default:
            break
        }
        return []
    }

    /// The step after `value` in a filter's cycle (the first after the last, or after a value not in it).
    static func next<T: Equatable>(after value: T, in steps: [T]) -> T {
        steps[((steps.firstIndex(of: value) ?? 0) + 1) % steps.count]
    }

    private func openSelected() -> [ScreenAction] {
        guard let row = selectedRow else { return [] }
        return [.effect(.openFamily(row.familyID, then: .show))]
    }

    // MARK: - Rows

    mutating func replaceRows(_ newRows: [CaseloadRow], context: AppContext) {
        let selectedID = selectedRow?.familyID
        rows = newRows
        resort(context: context)
        if let selectedID, let position = shown.firstIndex(where: { rows[$0].familyID == selectedID }) { table.selected = position }
    }

    /// A family's row after a save, wherever it was saved from.
    public mutating func familyChanged(_ file: CaseFile, row: CaseloadRow?, context: AppContext) {
        if let row { upsert(row, context: context) }
    }

    /// Replaces or adds one family's row, keeping the selection.
    mutating func upsert(_ row: CaseloadRow, context: AppContext) {
        var updated = rows
        if let i = updated.firstIndex(where: { $0.familyID == row.familyID }) { updated[i] = row } else { updated.append(row) }
        replaceRows(updated, context: context)
    }

    /// Sorts every row once by the chosen column. Keys are taken out of the rows first,
    /// so the comparisons touch plain arrays (no copying of rows while sorting).
    mutating func resort(context: AppContext) {
        let rows = self.rows
        let references = rows.map(\.reference)
        let order: (Int, Int) -> Bool
        switch sortColumn {
        case .reference:
            order = { references[$0] < references[$1] }
        case .family:
            let keys = rows.map { SearchKey.fold($0.displayName) }
            order = { keys[$0] < keys[$1] }
        case .level:
            let keys = rows.map { ServiceLevel.allCases.firstIndex(of: $0.serviceLevel)! }
            order = { keys[$0] < keys[$1] }
        case .status:
            let keys = rows.map { FamilyStatus.allCases.firstIndex(of: $0.status)! }
            order = { keys[$0] < keys[$1] }
        case .lead:
            let session = context.session
            let keys = rows.map { session?.name($0.lead) ?? "" }
            order = { keys[$0] < keys[$1] }
        case .nextDue:
            let keys = rows.map { $0.nextDue?.day.ordinal ?? Int.max }
            order = { keys[$0] < keys[$1] }
        case .lastContact:
            let keys = rows.map { $0.lastContact?.ordinal ?? Int.min }
            order = { keys[$0] < keys[$1] }
        case .flags:
            let keys = rows.map(\.openFlags)
            order = { keys[$0] > keys[$1] }
        }
        // Ties keep reference order, so the list is stable.
        sorted = rows.indices.sorted { a, b in
            if order(a, b) { return true }
            if order(b, a) { return false }
            return references[a] < references[b]
        }
        if !ascending { sorted.reverse() }
        refilter(context: context)
    }

    func passesFilters(_ row: CaseloadRow, context: AppContext) -> Bool {
        let today = context.today
        if let only = filters.only {
            // A number's families are exactly these, closed ones included.
            if !only.contains(row.familyID) { return false }
        } else {
            if filters.mineOnly, let me = context.session?.user.id, row.lead != me && !row.coworkers.contains(me) { return false }
            if let status = filters.status { if row.status != status { return false } } else if !filters.showClosed && row.status == .closed { return false }
        }
        if let worker = filters.worker, row.lead != worker && !row.coworkers.contains(worker) { return false }
        if filters.safetyPlanDue && !row.due.contains(where: { $0.kind == .safetyPlanReview && $0.day <= today.adding(days: Reminder.soonDays) }) { return false }
        if let months = filters.noAssessmentMonths, let last = row.history.lastAssessment, last > today.adding(months: -months) { return false }
        if filters.overdue && !row.isOverdue(today: today) { return false }
        if filters.dueThisWeek && !row.isDue(within: 7, today: today) { return false }
        if let level = filters.level, row.serviceLevel != level { return false }
        if filters.flagged && row.openFlags == 0 { return false }
        if filters.conflicts && row.conflicts == 0 { return false }
        if let days = filters.noContactDays, (row.daysSinceContact(today: today) ?? Int.max) < days { return false }
        return true
    }

    /// Applies filters (unless only the search text changed) and the search.
    mutating func refilter(context: AppContext, filtersChanged: Bool = true) {
        if filtersChanged {
            filtered = sorted.filter { passesFilters(rows[$0], context: context) }
            countAttention(context)
        }
        let selectedID = selectedRow?.familyID
        let text = search.text
        let query = SearchQuery(text)
        if query.isEmpty {
            shown = filtered
        } else {
            // Every keystroke scans all filtered rows: narrowing from the previous matches
            // would miss names that only sound alike once the word is longer ("Reec" → "Reece").
            // Matches stay in the chosen sort order; a row found by a member's name or an
            // alias, or only by sound, says so in the "found by" column.
            shown = filtered.filter { query.rank(rows[$0].search) != nil }
        }
        activeQuery = query.isEmpty ? nil : query
        table.setCount(shown.count)
        if let selectedID, let position = shown.firstIndex(where: { rows[$0].familyID == selectedID }) {
            table.selected = position
        } else {
            table.selected = 0
            table.top = 0
        }
        table.scrollToSelection(visibleRows: CaseloadScreen.visibleRows(context))
    }

    // MARK: - View

    func columns(width: Int, context: AppContext, foundBy: Bool = false) -> [TableView.Column] {
        let s = context.strings
        var columns = [
            TableView.Column(s("caseload.column.reference"), width: 8),
            TableView.Column(s("caseload.column.family"), width: 14, flex: 3),
            TableView.Column(s("caseload.column.level"), width: 5, fit: true),
            TableView.Column(s("caseload.column.status"), width: 8, fit: true),
            TableView.Column(s("caseload.column.lead"), width: 10, flex: 1),
            TableView.Column(s("caseload.column.nextDue"), width: 16, flex: 1),
            TableView.Column(s("caseload.column.lastContact"), width: 7, alignRight: true, fit: true),
            TableView.Column("⚑", width: 2, fit: true),
        ]
        if width >= 110 {
            columns[2].width = 9
            columns[4].width = 16
            columns[5].width = 22
        }
        if foundBy { columns[5].title = s("caseload.column.foundBy") }
        return columns
    }

    /// Why nothing is listed, and the key that changes it.
    func emptyText(_ context: AppContext) -> String {
        let s = context.strings
        if rows.isEmpty { return s("caseload.empty") }
        if filters.mineOnly && search.text.isEmpty && filtered.isEmpty, let me = context.session?.user.id,
           !rows.contains(where: { $0.lead == me || $0.coworkers.contains(me) }) {
            return s("caseload.noneOfYours")
        }
        return s("caseload.noMatch")
    }

    /// Why the search found the row, for the "found by" column (empty: by its own name).
    func foundBy(_ row: CaseloadRow, context: AppContext) -> String {
        guard let query = activeQuery, let reason = row.matchReason(query) else { return "" }
        let s = context.strings
        if row.sensitive && filters.hideSensitiveNames { return s(reason.name.isAlias ? "caseload.found.hiddenAlias" : "caseload.found.hiddenMember") }
        return (reason.soundsAlike ? "≈ " : "") + (reason.name.isAlias ? s("caseload.found.alias", ["name": reason.name.text]) : reason.name.text)
    }

    /// Why each row on screen was found (only rows found by a member or an alias), worked
    /// out once per frame for the rows that will be drawn.
    func foundByOnScreen(rowsVisible: Int, context: AppContext) -> [Int: String] {
        guard activeQuery != nil, !shown.isEmpty else { return [:] }
        var first = table.top
        if table.selected < first { first = table.selected }
        if table.selected >= first + rowsVisible { first = table.selected - rowsVisible + 1 }
        var reasons: [Int: String] = [:]
        for position in max(0, first)..<min(shown.count, max(0, first) + rowsVisible) {
            let text = foundBy(rows[shown[position]], context: context)
            if !text.isEmpty { reasons[position] = text }
        }
        return reasons
    }

    /// `foundBy`: the "found by" column replaces the due column, with this row's reason.
    func cells(_ row: CaseloadRow, context: AppContext, wide: Bool, foundBy reason: String? = nil) -> [TableView.Text] {
        let s = context.strings
        let today = context.today
        let hidden = row.sensitive && filters.hideSensitiveNames
        // A damaged row keeps the name it had (unless hidden) and says what to do.
        let name = row.damaged ? "⚠ " + s("caseload.damaged") + (hidden || row.displayName.isEmpty ? "" : " · " + row.displayName)
            : hidden ? "⊘ " + s("caseload.sensitive.short") : row.displayName
        var due = TableView.Text("")
        if let next = row.nextDue {
            let overdue = next.day < today
            let soon = !overdue && next.day <= today.adding(days: 7)
            let marker = overdue ? "!" : soon ? "›" : " "
            let date = wide ? s.date(next.day) : s.shortDate(next.day)
            due = TableView.Text("\(marker)\(date) \(s("reminder.short.\(next.kind.rawValue)"))", overdue ? .badgeOverdue : soon ? .badgeSoon : nil)
        }
        var contact = "—"
        if let days = row.daysSinceContact(today: today) { contact = s("caseload.daysAgo", ["n": String(days)]) }
        let lead = context.session?.name(row.lead) ?? ""
        return [
            TableView.Text(row.reference),
            TableView.Text(name, row.damaged ? .badgeOverdue : hidden ? .badgeSensitive : nil),
            TableView.Text(s(wide ? row.serviceLevel.labelKey : "level.short.\(row.serviceLevel.rawValue)")),
            TableView.Text(s(wide ? row.status.labelKey : "status.short.\(row.status.rawValue)")),
            TableView.Text(lead),
            reason.map { TableView.Text($0, .badgeSoon) } ?? due,
            TableView.Text(contact, (row.daysSinceContact(today: today) ?? Int.max) >= 30 && row.status != .closed ? .badgeSoon : nil),
            TableView.Text((row.openFlags > 0 ? "⚑\(row.openFlags)" : "") + (row.conflicts > 0 ? "≠\(row.conflicts)" : ""), .badgeFlag),
        ]
    }

    public func render(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        let s = context.strings
        let (summaryRow, rest) = area.splitTop(1)
        let (searchRow, body) = rest.splitTop(1)
        buffer.fill(area, style: ctx[.normal])

        var counts = s("caseload.counts", ["shown": String(shown.count), "total": String(rows.count)])
        if !shown.isEmpty { counts += " · \(table.selected + 1)/\(shown.count)" }
        let sortText = s("caseload.sortedBy", ["column": s(sortColumn.titleKey), "direction": ascending ? "▲" : "▼"])
        var summary = counts + " · " + sortText
        let active = activeFilterNames(context)
        if !active.isEmpty { summary += " · " + s("caseload.filters", ["list": active.joined(separator: ", ")]) }
        buffer.put(summary, x: summaryRow.x + 1, y: summaryRow.y, style: ctx[.muted], maxWidth: summaryRow.width - 2)

        if searching || !search.text.isEmpty {
            buffer.put("/ ", x: searchRow.x + 1, y: searchRow.y, style: ctx[.title])
            search.render(into: &buffer, area: Rect(x: searchRow.x + 3, y: searchRow.y, width: min(40, searchRow.width - 4), height: 1),
                          style: searching ? ctx[.formFieldFocused] : ctx[.formField], focused: searching)
            if searching {
                buffer.put(s("caseload.search.hint"), x: searchRow.x + 45, y: searchRow.y, style: ctx[.formHint], maxWidth: searchRow.width - 46)
            }
        } else if let attention = attention(context) {
            // What needs the person now, in place of the search hint (the "/" key still works).
            // The search key only when it fits whole beside it.
            let hint = " · " + s("caseload.attention.search")
            let line = DisplayWidth.of(attention + hint) <= searchRow.width - 2 ? attention + hint : attention
            buffer.put(line, x: searchRow.x + 1, y: searchRow.y, style: ctx[.statusWarning], maxWidth: searchRow.width - 2)
        } else {
            buffer.put(s("caseload.search.prompt"), x: searchRow.x + 1, y: searchRow.y, style: ctx[.formHint], maxWidth: searchRow.width - 2)
        }

        let wide = area.width >= 110
        let reasons = foundByOnScreen(rowsVisible: max(0, body.height - 1), context: context)
        let foundBy = !reasons.isEmpty
        let columns = self.columns(width: body.width, context: context, foundBy: foundBy)
        let sortIndex = sortColumn.rawValue
        table.render(into: &buffer, area: body, columns: columns, context: ctx, sortColumn: sortIndex, ascending: ascending,
                     emptyText: emptyText(context)) { index in
            cells(rows[shown[index]], context: context, wide: wide, foundBy: foundBy ? reasons[index] ?? "" : nil)
        }
        if !searching { buffer.cursor = nil }
    }

    /// One line on what needs the person, from the rows in their view: open flags,
    /// families overdue today, drafts waiting. Nil when nothing does.
    func attention(_ context: AppContext) -> String? {
        let s = context.strings
        let (flags, overdue, conflicts) = (attentionCounts.flags, attentionCounts.overdue, attentionCounts.conflicts)
        let drafts = context.draftsWaiting.count
        var parts: [String] = []
        if attentionCounts.referrals > 0 {
            parts.append(s("caseload.attention.referrals", ["n": String(attentionCounts.referrals), "days": String(attentionCounts.oldestReferralDays)]))
        }
        if conflicts > 0 { parts.append(s("caseload.attention.conflicts", ["n": String(conflicts)])) }
        if flags > 0 { parts.append(s("caseload.attention.flags", ["n": String(flags)])) }
        if overdue > 0 { parts.append(s("caseload.attention.overdue", ["n": String(overdue)])) }
        if drafts > 0 { parts.append(s("caseload.attention.drafts", ["n": String(drafts)])) }
        guard !parts.isEmpty else { return nil }
        return s("caseload.attention", ["list": parts.joined(separator: " · ")])
    }

    private mutating func countAttention(_ context: AppContext) {
        let me = context.session?.user.id
        var flags = 0, overdue = 0, conflicts = 0, referrals = 0, oldest = 0
        for row in rows {
            if filters.mineOnly && row.lead != me && !(me.map { row.coworkers.contains($0) } ?? false) { continue }
            for item in row.due where item.kind == .referralDecision {
                referrals += 1
                oldest = max(oldest, item.day.adding(days: -Referral.decisionDays).days(until: context.today))
            }
        }
        for i in rows.indices where rows[i].status != .closed {
            if filters.mineOnly && rows[i].lead != me && !(me.map { rows[i].coworkers.contains($0) } ?? false) { continue }
            flags += rows[i].openFlags
            conflicts += rows[i].conflicts
            if rows[i].isOverdue(today: context.today) { overdue += 1 }
        }
        attentionCounts = AttentionCounts(flags: flags, overdue: overdue, conflicts: conflicts, referrals: referrals, oldestReferralDays: oldest)
    }

    func activeFilterNames(_ context: AppContext) -> [String] {
        let s = context.strings
        var names: [String] = []
        if filters.overdue { names.append(s("caseload.filter.overdue")) }
        if filters.dueThisWeek { names.append(s("caseload.filter.dueWeek")) }
        if let level = filters.level { names.append(s(level.labelKey)) }
        if let status = filters.status { names.append(s(status.labelKey)) } else if filters.showClosed { names.append(s("caseload.filter.withClosed")) }
        if filters.flagged { names.append(s("caseload.filter.flagged")) }
        if filters.conflicts { names.append(s("caseload.filter.conflicts")) }
        if let days = filters.noContactDays { names.append(s("caseload.filter.noContact", ["n": String(days)])) }
        if let worker = filters.worker { names.append(s("caseload.filter.worker", ["name": context.session?.name(worker) ?? ""])) }
        if filters.safetyPlanDue { names.append(s("caseload.filter.safetyPlanDue")) }
        if let months = filters.noAssessmentMonths { names.append(s("caseload.filter.noAssessment", ["n": String(months)])) }
        if filters.only != nil { names.insert(filters.onlyLabel, at: 0) }
        if !search.text.isEmpty { names.append("“\(search.text)”") }
        return names
    }
}

/// How many shown families are flagged, overdue and in conflict (counted once per change of rows).
struct AttentionCounts: Hashable, Sendable {
    var flags = 0
    var overdue = 0
    var conflicts = 0
    /// Referrals waiting for a decision, and the oldest one's age in days.
    var referrals = 0
    var oldestReferralDays = 0
}
