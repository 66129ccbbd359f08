import KithUI

/// Optional views of enum cases, so a test unwraps what it expects with `try #require`,
/// which fails the test when the case is not the one expected.
public extension Screen {
    var unlock: UnlockScreen? { if case .unlock(let s) = self { s } else { nil } }
    var caseload: CaseloadScreen? { if case .caseload(let s) = self { s } else { nil } }
    var family: FamilyScreen? { if case .family(let s) = self { s } else { nil } }
    var form: FormScreen? { if case .form(let s) = self { s } else { nil } }
    var assessment: AssessmentScreen? { if case .assessment(let s) = self { s } else { nil } }
    var record: RecordScreen? { if case .record(let s) = self { s } else { nil } }
    var actions: ActionsScreen? { if case .actions(let s) = self { s } else { nil } }
    var signOffList: SignOffScreen? { if case .signOffList(let s) = self { s } else { nil } }
}

public extension AppMessage {
    /// A failure, for the app or for the screen that asked.
    var failed: UserMessage? {
        switch self {
        case .failed(let m), .result(_, .failed(let m)): m
        default: nil
        }
    }
}

public extension DraftContent {
    var formState: FormState? { if case .form(_, let state) = self { state } else { nil } }
}

public extension ScreenAction {
    var effect: AppEffect? { if case .effect(let e) = self { e } else { nil } }
}

public extension AppEffect {
    var unlockRequest: (login: String, passphrase: String)? {
        if case .unlock(let login, let passphrase) = self { (login, passphrase) } else { nil }
    }
}

public extension AppModel.Overlay {
    var dialog: PendingDialog? { if case .dialog(let d) = self { d } else { nil } }
}
