/// Everything a key can do in Kith. Each command has a short footer label
/// (`cmd.<name>`) and a one-line description for the help overlay (`cmd.<name>.help`).
public enum Command: String, Sendable, CaseIterable, Codable {
    // Everywhere
    case help, quit, back, save, cancel, confirm
    /// Ctrl-C and Ctrl-Z: they say how to quit instead of interrupting or suspending.
    case interrupt, suspend
    // Lists and tables
    case moveUp, moveDown, pageUp, pageDown, top, bottom, open
    // Caseload
    case search, clearSearch, sortNext, sortReverse, toggleScope, filterOverdue, filterDueWeek, filterLevel
    case filterStatus, filterFlagged, filterConflicts, filterNoContact, toggleSensitive, clearFilters, newFamily, myActions
    case filterWorker, filterSafetyPlan, filterNoAssessment, dashboard, exportList, signOffs
    // Family
    case nextSection, previousSection, edit, addNote, addMember
    case changeLevel, changeLead, flag, resolveFlag, newAssessment, newSafetyPlan, reviseSafetyPlan, newMeeting
    case newPlan, newReview, closeFamily, familyActions, printRecord, markDone, reopenAction, toggleMine, togglePrintouts, addAddendum
    case recordSupervision, signOff, chronology, filterTimeline, referral, writeCopy, removeAttachment, searchWritten
    // Conflicts
    case showConflicts, chooseValue, writeValue, teamConflicts
    // Forms
    case nextField, previousField, addRow, removeRow, pickOption, guidance, nextUnrated, jumpDomain, summary
    case completeAssessment, clearRating, markUnknown, startAssessment

    /// String-table key of the footer label.
    public var labelKey: String { "cmd.\(rawValue)" }
    /// String-table key of the help overlay description.
    public var helpKey: String { "cmd.\(rawValue).help" }
}

/// Keys bound to a command. `footer` bindings also show in the footer line.
public struct Binding: Sendable, Hashable {
    public var keys: [Key]
    public var command: Command
    public var footer: Bool

    public init(_ keys: [Key], _ command: Command, footer: Bool = false) {
        self.keys = keys
        self.command = command
        self.footer = footer
    }
}

/// One table per screen: it dispatches keys, and generates the footer and the help
/// overlay, so the three can never disagree.
public struct Keymap: Sendable, Hashable {
    /// String-table key of the screen's name (help overlay title).
    public var titleKey: String
    public var bindings: [Binding]

    public init(titleKey: String, _ bindings: [Binding]) {
        self.titleKey = titleKey
        self.bindings = bindings
    }

    public func command(for key: Key) -> Command? {
        bindings.first { $0.keys.contains(key) }?.command
    }

    public func keys(for command: Command) -> [Key] {
        bindings.first { $0.command == command }?.keys ?? []
    }

    public func contains(_ command: Command) -> Bool { bindings.contains { $0.command == command } }

    public var footerBindings: [Binding] { bindings.filter(\.footer) }

    /// This keymap with `other`'s bindings after its own (own bindings win on a clash).
    public func merged(with other: Keymap) -> Keymap {
        var copy = self
        copy.bindings += other.bindings.filter { b in !bindings.contains { $0.command == b.command } }
        return copy
    }

    /// Moving through a list or table: arrows and j/k, pages, first and last.
    public static let listMoves: [Binding] = [
        Binding([.up, .char("k")], .moveUp),
        Binding([.down, .char("j")], .moveDown),
        Binding([.pageUp], .pageUp),
        Binding([.pageDown], .pageDown),
        Binding([.home], .top),
        Binding([.end], .bottom),
    ]

    /// Help and quit on screens where letters are commands.
    public static let helpAndQuit: [Binding] = [
        Binding([.char("?")], .help, footer: true),
        Binding([.char("q")], .quit, footer: true),
    ]

    /// Bindings every screen has, even while typing: F1 help and Ctrl-Q quit. List
    /// screens also bind `?` and `q`, which in a form would be typed as text.
    public static let global = Keymap(titleKey: "help.global", [
        Binding([.function(1)], .help, footer: true),
        Binding([.ctrl("q")], .quit, footer: true),
        Binding([.ctrl("c")], .interrupt),
        Binding([.ctrl("z")], .suspend),
    ])
}
