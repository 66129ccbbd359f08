import KithCore

/// Work for the edge (the store, the file system). The model never does I/O itself;
/// the program loop performs these and feeds the results back as messages.
///
/// Work a screen waits for carries a `Request`; its result comes back to that screen as
/// `AppMessage.result` (see `ScreenModel.receive`).
public enum AppEffect: Sendable, Equatable {
    case unlock(login: String, passphrase: String)
    /// The idle lock: is this the signed-in user's passphrase? (`.passphraseConfirmed`)
    case confirmPassphrase(String)
    case createStore(CreateStoreRequest)
    /// Read a family and record that this user viewed it (`.familyOpened`).
    case openFamily(Family.ID, then: AfterOpen)
    case save(SaveRequest)
    case checkDuplicates(Request, members: [DuplicateCheck.NewMember], familyName: String, excluding: Family.ID?)
    case saveDraft(DraftEnvelope)
    case discardDraft(String)
    case print(PrintRequest)
    /// Find a phrase in what was written, in every family the user may see or in one
    /// (answers `.written`).
    case searchWritten(Request, query: String, family: Family.ID?)
    /// Attach a file, write out a copy of one, or remove one (answers `.saved`).
    case attachment(AttachmentRequest)
    /// The caseload CSV of these families (a number on the dashboard), into the printouts
    /// folder; audited (answers `.exported`).
    case exportCaseload(families: [Family.ID])
    /// Settle a conflict with one of its values, or a new one (answers `.saved`).
    case resolveConflict(ResolveRequest)
    /// The user's actions across their families, from the caseload index.
    case loadMyActions(Request)
    /// Who has drafts on this laptop, on which family, saved when (`.drafts`; never what
    /// they hold), for the dashboard.
    case loadDrafts(Request)
    /// Every open conflict in the families the user may see (`.conflicts`).
    case loadTeamConflicts(Request)
    /// Other users' drafts of an instrument for a family (before starting one's own).
    case findOthersDrafts(Request, family: Family.ID, instrumentID: String)
    /// Write the index now (at quiet moments).
    case flushIndex
    /// Once a second while the user has a team hub: take in what the last round brought,
    /// start the next when it is due (`.hubStatus`, `.hubMerged`).
    case hubTick(now: Double)
    /// Read a family shown on screen again, after a sync changed it (no view recorded:
    /// it is open already).
    case reloadFamily(Family.ID)
    case quit

    /// The request a screen is waiting on, if this effect answers one.
    public var request: Request? {
        switch self {
        case .save(let save): save.request
        case .resolveConflict(let resolve): resolve.request
        case .attachment(let attachment): attachment.request
        case .checkDuplicates(let request, _, _, _), .loadMyActions(let request), .loadTeamConflicts(let request), .findOthersDrafts(let request, _, _),
             .loadDrafts(let request), .searchWritten(let request, _, _): request
        default: nil
        }
    }

    /// The same effect, answering to `screen`.
    func routed(to screen: ScreenID) -> AppEffect {
        switch self {
        case .save(var save):
            save.request.screen = screen
            return .save(save)
        case .resolveConflict(var resolve):
            resolve.request.screen = screen
            return .resolveConflict(resolve)
        case .attachment(var attachment):
            attachment.request.screen = screen
            return .attachment(attachment)
        case .checkDuplicates(var request, let members, let name, let excluding):
            request.screen = screen
            return .checkDuplicates(request, members: members, familyName: name, excluding: excluding)
        case .loadMyActions(var request):
            request.screen = screen
            return .loadMyActions(request)
        case .loadTeamConflicts(var request):
            request.screen = screen
            return .loadTeamConflicts(request)
        case .loadDrafts(var request):
            request.screen = screen
            return .loadDrafts(request)
        case .searchWritten(var request, let query, let family):
            request.screen = screen
            return .searchWritten(request, query: query, family: family)
        case .findOthersDrafts(var request, let family, let instrument):
            request.screen = screen
            return .findOthersDrafts(request, family: family, instrumentID: instrument)
        default:
            return self
        }
    }
}

/// What to do once a family is open.
public enum AfterOpen: Sendable, Equatable {
    case show
    /// Reopen a recovered draft on top of the family.
    case resume(DraftEnvelope)
    /// Refresh screens that show this family without moving.
    case refresh
    /// Show the family's conflicts, on the one in `ref` at `path`.
    case conflicts(EntityRef, path: String)
    /// Show what a sign-off request is about (the requester who opens a returned one has
    /// seen it).
    case signOff(SignOff.ID)
    /// Open a form on the family.
    case form(FormPurpose)
    /// Show a record, at the first line holding `find`.
    case record(EntityRef, find: String)
}

public struct CreateStoreRequest: Sendable, Equatable {
    public var teamName: String
    public var displayName: String
    public var login: String
    public var role: User.Role
    public var passphrase: String

    public init(teamName: String, displayName: String, login: String, role: User.Role, passphrase: String) {
        self.teamName = teamName
        self.displayName = displayName
        self.login = login
        self.role = role
        self.passphrase = passphrase
    }
}

/// Records to save durably for one family (`ScreenResult.saved` once they are).
public struct SaveRequest: Sendable, Equatable {
    public var request: Request
    public var family: Family.ID
    public var records: [FamilyRecord]
    /// The family itself is new: create its log (the family record comes first).
    public var createsFamily: Bool
    /// The draft to remove once the save is durable.
    public var draftID: String?

    public init(_ request: Request, family: Family.ID, records: [any FamilyScoped], createsFamily: Bool = false, draftID: String?) {
        self.request = request
        self.family = family
        self.records = records.map(FamilyRecord.init)
        self.createsFamily = createsFamily
        self.draftID = draftID
    }
}

/// Work on a family's attached files, for the form that asked.
public struct AttachmentRequest: Sendable, Equatable {
    public var request: Request
    public var family: Family.ID
    public var action: Action

    public enum Action: Sendable, Equatable {
        /// The file at `path` (as typed or dropped on the terminal), titled.
        case attach(path: String, title: String)
        /// A decrypted copy, written to `path`.
        case writeCopy(Attachment.ID, path: String)
        case remove(Attachment.ID, reason: String)
    }

    public init(_ request: Request, family: Family.ID, action: Action) {
        self.request = request
        self.family = family
        self.action = action
    }

    /// A path as a person gives it: a terminal that has a file dropped on it types it
    /// quoted ('…' or "…") or with its spaces escaped, often with a space after; `~` is
    /// the home folder.
    public static func typedPath(_ typed: String, home: String?) -> String {
        var path = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        if path.count >= 2, let first = path.first, first == "'" || first == "\"", path.last == first {
            path = String(path.dropFirst().dropLast())
        } else {
            var unescaped = "", escaping = false
            for character in path {
                if escaping || character != "\\" { unescaped.append(character); escaping = false } else { escaping = true }
            }
            path = unescaped
        }
        if let home, path == "~" || path.hasPrefix("~/") { path = home + path.dropFirst() }
        return path
    }
}

public struct ResolveRequest: Sendable, Equatable {
    public var request: Request
    public var family: Family.ID
    public var conflict: FieldConflict
    /// nil keeps the leaf removed.
    public var value: Value?
    /// The draft of a written value, removed once the settlement is durable.
    public var draftID: String?

    public init(_ request: Request, family: Family.ID, conflict: FieldConflict, value: Value?, draftID: String? = nil) {
        self.request = request
        self.family = family
        self.conflict = conflict
        self.value = value
        self.draftID = draftID
    }
}

public struct PrintRequest: Sendable, Equatable {
    public var family: Family.ID
    public var record: EntityRef
    public var format: String
    /// Welsh and English side by side (HTML), or one after the other.
    public var bilingual: Bool
    /// The agency it is for, when it leaves the team: the family's consent to share with
    /// that agency must be in force.
    public var sharedWith: String?

    public init(family: Family.ID, record: EntityRef, format: String, bilingual: Bool = false, sharedWith: String? = nil) {
        self.family = family
        self.record = record
        self.format = format
        self.bilingual = bilingual
        self.sharedWith = sharedWith
    }
}

/// An error or notice, already in the user's language, from the one place that turns
/// errors into words (`ErrorPresenter` in KithApp).
public struct UserMessage: Sendable, Equatable {
    public var title: String
    public var text: String
    public var isError: Bool

    public init(title: String, text: String, isError: Bool = true) {
        self.title = title
        self.text = text
        self.isError = isError
    }
}

/// A possible duplicate, as the duplicate check reports it.
public struct DuplicateMatch: Sendable, Equatable {
    public var reference: String
    public var familyID: Family.ID
    /// Visible to this user (name may be shown) or not (reference and lead only).
    public var visible: Bool
    public var displayName: String?
    public var lead: String
    public var sameDateOfBirth: Bool

    public init(reference: String, familyID: Family.ID, visible: Bool, displayName: String?, lead: String, sameDateOfBirth: Bool) {
        self.reference = reference
        self.familyID = familyID
        self.visible = visible
        self.displayName = displayName
        self.lead = lead
        self.sameDateOfBirth = sameDateOfBirth
    }
}

/// Another user's draft of an assessment, as the duplicate-work check reports it.
public struct OthersDraft: Sendable, Equatable {
    /// The author's name (a colleague's, not case data).
    public var author: String
    public var savedAt: Double
    public var draft: AssessmentDraft

    public init(author: String, savedAt: Double, draft: AssessmentDraft) {
        self.author = author
        self.savedAt = savedAt
        self.draft = draft
    }
}

/// An action from one of the user's families, for the "my actions" view.
public struct WorkerAction: Sendable, Equatable {
    public var family: Family.ID
    public var reference: String
    public var familyName: String
    /// The family's name is hidden wherever this action is listed away from its family.
    public var sensitive: Bool
    /// The user's own: theirs to do or to check (`PlanAction.isFor`).
    public var isMine: Bool
    public var item: ActionItem

    public init(family: Family.ID, reference: String, familyName: String, sensitive: Bool = false, isMine: Bool = false, item: ActionItem) {
        self.family = family
        self.reference = reference
        self.familyName = familyName
        self.sensitive = sensitive
        self.isMine = isMine
        self.item = item
    }

    /// The actions of one case file, marked as `user`'s or not.
    public static func of(_ file: CaseFile, for user: User?) -> [WorkerAction] {
        of(CaseloadRow(file), for: user)
    }

    /// The actions of one family as the caseload index holds them.
    public static func of(_ row: CaseloadRow, for user: User?) -> [WorkerAction] {
        let leads = user.map { row.lead == $0.id } ?? false
        return row.actions.map { item in
            WorkerAction(family: row.familyID, reference: row.reference, familyName: row.displayName,
                         sensitive: row.sensitive, isMine: user.map { item.action.isFor($0, leadsFamily: leads) } ?? false, item: item)
        }
    }
}

/// Messages into the model: input, time, and the results of effects.
public enum AppMessage: Sendable, Equatable {
    case terminal(TerminalEvent)
    case tick(Double)
    case unlocked(SessionInfo, [CaseloadRow], drafts: [DraftEnvelope], notices: [String])
    case passphraseConfirmed(Bool)
    case familyOpened(CaseFile, AfterOpen)
    /// What came of a screen's request, for that screen.
    case result(Request, ScreenResult)
    case printed(path: String)
    case exported(path: String, families: Int)
    /// Work no screen waits on failed (or the unlock did).
    case failed(UserMessage)
    case notice(String)
    /// What the header shows of the team hub changed.
    case hubStatus(HubStatus)
    /// A sync took in others' work: the caseload as it is now, and the families it changed.
    case hubMerged(rows: [CaseloadRow], families: Set<Family.ID>)
}
