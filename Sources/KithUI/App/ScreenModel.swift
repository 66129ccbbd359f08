import KithCore

/// What a screen asks of the app after handling input.
public enum ScreenAction: Sendable {
    case push(Screen)
    case pop
    /// Pops the top screen and pushes another in its place.
    case replace(Screen)
    case effect(AppEffect)
    case status(String, StatusMessage.Severity)
    case dialog(PendingDialog)
    case showHelp
    case requestQuit
    /// Quit now (after a confirmation): the model finishes and the edge closes the store.
    case quitNow
}

/// A dialog and what each of its keys does. Escape does `onEscape`.
public struct PendingDialog: Sendable {
    public var dialog: Dialog
    public var actions: [Key: [ScreenAction]]
    public var onEscape: [ScreenAction]
    /// The recovered draft this dialog offers back (resuming or discarding it means it is
    /// no longer waiting).
    public var offersDraft: String?

    public init(dialog: Dialog, actions: [Key: [ScreenAction]], onEscape: [ScreenAction] = [], offersDraft: String? = nil) {
        self.dialog = dialog
        self.actions = actions
        self.onEscape = onEscape
        self.offersDraft = offersDraft
    }
}

/// One screen: its own state, keymap, update and view. Screens never touch the terminal
/// or the disk; they return actions, some of which are effects for the edge.
public protocol ScreenModel: Sendable {
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
}

extension ScreenModel {
    public func takesText(_ key: Key) -> Bool { false }
    public mutating func paste(_ text: String, context: AppContext) -> [ScreenAction] { [] }
    public mutating func tick(context: AppContext) -> [ScreenAction] { [] }
    public var unsavedDraft: DraftEnvelope? { nil }
}

/// The screens Kith has. A plain enum, so the whole app state is a value.
public enum Screen: Sendable {
    case unlock(UnlockScreen)
    case caseload(CaseloadScreen)
    case family(FamilyScreen)
    case form(FormScreen)
    case assessment(AssessmentScreen)
    case record(RecordScreen)
    case actions(ActionsScreen)

    public var model: any ScreenModel {
        get {
            switch self {
            case .unlock(let s): s
            case .caseload(let s): s
            case .family(let s): s
            case .form(let s): s
            case .assessment(let s): s
            case .record(let s): s
            case .actions(let s): s
            }
        }
        set {
            switch newValue {
            case let s as UnlockScreen: self = .unlock(s)
            case let s as CaseloadScreen: self = .caseload(s)
            case let s as FamilyScreen: self = .family(s)
            case let s as FormScreen: self = .form(s)
            case let s as AssessmentScreen: self = .assessment(s)
            case let s as RecordScreen: self = .record(s)
            case let s as ActionsScreen: self = .actions(s)
            default: break
            }
        }
    }
}
