import KithCore

/// What a screen asks of the app after handling input.
public enum ScreenAction: Sendable, Equatable {
    case push(Screen)
    /// Closes the screen that asks (and anything above it).
    case pop
    /// Closes the screen that asks (and anything above it) and opens another in its place.
    case replace(Screen)
    case effect(AppEffect)
    case status(String, StatusMessage.Severity)
    case dialog(PendingDialog)
    case showHelp
    case requestQuit
    /// Quit now (after a confirmation): the model finishes and the edge closes the store.
    case quitNow
}

/// A choice in a screen's dialog. It goes to the live screen when the person makes it —
/// never a copy of the screen (or effects) made when the dialog opened, which ticks and
/// results may have overtaken since.
public struct DialogChoice: Hashable, Sendable {
    /// What was chosen, as the screen names it ("save", "keep", "jump"…).
    public var id: String
    /// Which one, when a choice picks among several (a domain, a family, a format).
    public var value: String

    public init(_ id: String, _ value: String = "") {
        self.id = id
        self.value = value
    }
}

/// A dialog and what each of its keys does. Escape does `onEscape`.
///
/// A screen's dialog names `choices`, handed to the screen that opened it
/// (`ScreenModel.chose`); the app's own dialogs (unlock recovery, quitting, errors) hold
/// `actions`, which refer to no screen's state.
public struct PendingDialog: Sendable, Equatable {
    public var dialog: Dialog
    public var actions: [Key: [ScreenAction]]
    public var choices: [Key: DialogChoice]
    public var onEscape: [ScreenAction]
    /// The recovered draft this dialog offers back (resuming or discarding it means it is
    /// no longer waiting).
    public var offersDraft: String?
    /// The screen that opened it (set when it is shown).
    public var owner: ScreenID?

    public init(dialog: Dialog, actions: [Key: [ScreenAction]], onEscape: [ScreenAction] = [], offersDraft: String? = nil) {
        self.dialog = dialog
        self.actions = actions
        choices = [:]
        self.onEscape = onEscape
        self.offersDraft = offersDraft
    }

    public init(dialog: Dialog, choices: [Key: DialogChoice]) {
        self.dialog = dialog
        actions = [:]
        self.choices = choices
        onEscape = []
    }
}

extension PendingDialog {
    /// Closing work not saved yet: save now (`save`), keep it as a draft (`keep`), discard
    /// it (`discard`), or Escape to stay.
    static func closeUnsaved(_ s: Strings) -> PendingDialog {
        let dialog = Dialog(title: s("form.close.title"), message: [s("form.close.message")],
                            choices: [(.char("s"), s("form.close.save")), (.char("k"), s("form.close.keep")),
                                      (.char("d"), s("form.close.discard")), (.escape, s("form.close.stay"))])
        return PendingDialog(dialog: dialog, choices: [.char("s"): DialogChoice("save"), .char("k"): DialogChoice("keep"),
                                                       .char("d"): DialogChoice("discard")])
    }
}

/// One screen: its own state, keymap, update and view. Screens never touch the terminal
/// or the disk; they return actions, some of which are effects for the edge.
///
/// Work a screen waits for goes out as an effect with a `Request`; what comes of it comes
/// back to the same screen through `receive`, wherever it is in the stack by then.
public protocol ScreenModel: Sendable, Equatable {
    var keymap: Keymap { get }
    func title(_ context: AppContext) -> String
    /// Whether this key would be typed into a text field (so global keys must not take it).
    func takesText(_ key: Key) -> Bool
    mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction]
    mutating func paste(_ text: String, context: AppContext) -> [ScreenAction]
    /// Time passes: autosave and the like.
    mutating func tick(context: AppContext) -> [ScreenAction]
    func render(into buffer: inout CellBuffer, area: Rect, context: AppContext)
    /// The work quitting now would leave unsaved, as a draft to keep.
    var unsavedDraft: DraftEnvelope? { get }
    /// The person chose `choice` in a dialog this screen opened.
    mutating func chose(_ choice: DialogChoice, context: AppContext) -> [ScreenAction]
    /// The screen has just been opened: work it needs from the edge (asked as its own).
    mutating func appear(context: AppContext) -> [ScreenAction]
    /// What came of a request this screen made.
    mutating func receive(_ result: ScreenResult, for request: RequestID, context: AppContext) -> [ScreenAction]
    /// A family's case file changed (saved from any screen, printed from, opened again):
    /// a screen showing it brings itself up to date. `row` is its caseload row when known.
    mutating func familyChanged(_ file: CaseFile, row: CaseloadRow?, context: AppContext)
}

extension ScreenModel {
    public mutating func chose(_ choice: DialogChoice, context: AppContext) -> [ScreenAction] { [] }
    public func takesText(_ key: Key) -> Bool { false }
    public mutating func paste(_ text: String, context: AppContext) -> [ScreenAction] { [] }
    public mutating func tick(context: AppContext) -> [ScreenAction] { [] }
    public var unsavedDraft: DraftEnvelope? { nil }
    public mutating func appear(context: AppContext) -> [ScreenAction] { [] }
    public mutating func receive(_ result: ScreenResult, for request: RequestID, context: AppContext) -> [ScreenAction] { [] }
    public mutating func familyChanged(_ file: CaseFile, row: CaseloadRow?, context: AppContext) {}
}

/// The screens Kith has. A plain enum, so the whole app state is a value.
public enum Screen: Sendable, Equatable {
    case unlock(UnlockScreen)
    case caseload(CaseloadScreen)
    case family(FamilyScreen)
    case form(FormScreen)
    case assessment(AssessmentScreen)
    case record(RecordScreen)
    case actions(ActionsScreen)
    case conflicts(ConflictScreen)
    case teamConflicts(TeamConflictsScreen)
    case dashboard(DashboardScreen)
    case signOffList(SignOffScreen)
    case searchWritten(TextSearchScreen)

    public var model: any ScreenModel {
        switch self {
        case .unlock(let s): s
        case .caseload(let s): s
        case .family(let s): s
        case .form(let s): s
        case .assessment(let s): s
        case .record(let s): s
        case .actions(let s): s
        case .conflicts(let s): s
        case .teamConflicts(let s): s
        case .dashboard(let s): s
        case .signOffList(let s): s
        case .searchWritten(let s): s
        }
    }

    /// The family a screen shows whole (read again when a sync changes it).
    var familyShown: Family.ID? {
        switch self {
        case .family(let s): s.file.family.id
        case .conflicts(let s): s.file.family.id
        default: nil
        }
    }

    /// The case for a screen model. Every screen type has one; a new screen without one
    /// stops here at its first test rather than vanishing from the stack.
    public init(_ model: any ScreenModel) {
        switch model {
        case let s as UnlockScreen: self = .unlock(s)
        case let s as CaseloadScreen: self = .caseload(s)
        case let s as FamilyScreen: self = .family(s)
        case let s as FormScreen: self = .form(s)
        case let s as AssessmentScreen: self = .assessment(s)
        case let s as RecordScreen: self = .record(s)
        case let s as ActionsScreen: self = .actions(s)
        case let s as ConflictScreen: self = .conflicts(s)
        case let s as TeamConflictsScreen: self = .teamConflicts(s)
        case let s as DashboardScreen: self = .dashboard(s)
        case let s as SignOffScreen: self = .signOffList(s)
        case let s as TextSearchScreen: self = .searchWritten(s)
        default: preconditionFailure("Screen has no case for \(type(of: model))")
        }
    }
}
