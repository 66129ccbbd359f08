import Foundation
import KithCore
import KithStore
import KithUI

/// Performs the app's effects against the real store and file system, and turns the
/// results (or errors) into messages for the model.
public final class LiveEffects {
    public private(set) var store: Store?
    public let storePath: String
    public let isDemo: Bool
    public var strings: Strings
    let clock: StoreClock
    let today: () -> Day
    /// The team hub, when this user has one (`kith hub connect`).
    var hub: HubAgent?
    var hubSettings: HubSettings?
    var hubSchedule = HubSchedule()
    /// What the header was last told.
    var hubStatus: HubStatus?
    /// A save since "not sent" was counted.
    var hubCountDue = false
    /// Where printouts made from the screens are written.
    public var printDirectory: String { "\(storePath)/printouts" }

    public init(storePath: String, store: Store? = nil, isDemo: Bool, strings: Strings, clock: StoreClock = .system, today: @escaping () -> Day) {
        self.storePath = storePath
        self.store = store
        self.isDemo = isDemo
        self.strings = strings
        self.clock = clock
        self.today = today
    }

    public func perform(_ effect: AppEffect) -> [AppMessage] {
        do {
            return try run(effect)
        } catch {
            KithLog.error(error, during: effect.name)
            let message = ErrorPresenter.message(error, strings: strings)
            // To the screen that waits on it (it stops waiting), or to the app.
            return [effect.request.map { .result($0, .failed(message)) } ?? .failed(message)]
        }
    }

    private func run(_ effect: AppEffect) throws -> [AppMessage] {
        switch effect {
        case .unlock(let login, let passphrase):
            let opened = try Store.open(at: storePath, login: login, passphrase: passphrase, clock: clock)
            store = opened
            return [unlockedMessage()]
        case .confirmPassphrase(let passphrase):
            return [.passphraseConfirmed(try requireStore().confirms(passphrase: passphrase))]
        case .createStore(let request):
            let created = try Store.create(at: storePath, teamName: request.teamName,
                                           firstUser: .init(login: request.login, displayName: request.displayName, role: request.role),
                                           passphrase: request.passphrase, clock: clock)
            store = created
            return [unlockedMessage()]
        case .openFamily(let id, let after):
            let store = try requireStore()
            let file = try store.readCase(id)
            // Shown only once the view is on record.
            try store.recordView(id)
            if case .resume(let draft) = after { store.noteDraftRecovered(Draft.ID(draft.id)) }
            return [.familyOpened(file, after)] + notices()
        case .save(let request):
            let store = try requireStore()
            let file: CaseFile
            if request.createsFamily, case .family(let family)? = request.records.first {
                file = try store.createFamily(family, with: request.records.dropFirst().map(\.record))
            } else {
                file = try store.save(request.records.map(\.record), family: request.family)
            }
            if let draft = request.draftID { try? store.discardDraft(Draft.ID(draft)) }
            hubSaved()
            return [.result(request.request, .saved(file, store.row(request.family)))] + notices()
        case .resolveConflict(let resolve):
            let store = try requireStore()
            let file = try store.resolve(resolve.conflict, with: resolve.value, family: resolve.family)
            if let draft = resolve.draftID { try? store.discardDraft(Draft.ID(draft)) }
            hubSaved()
            return [.result(resolve.request, .saved(file, store.row(resolve.family)))] + notices()
        case .checkDuplicates(let request, let members, let familyName, let excluding):
            let store = try requireStore()
            let matches = store.duplicateCandidates(members: members, familyName: familyName, excluding: excluding).map { found in
                let row = store.row(found.candidate.familyID)
                return DuplicateMatch(reference: found.candidate.reference, familyID: found.candidate.familyID, visible: found.visible,
                                      displayName: found.visible && row?.sensitive != true ? row?.displayName : nil, lead: found.lead, sameDateOfBirth: found.candidate.sameDateOfBirth)
            }
            return [.result(request, .duplicates(matches))]
        case .saveDraft(let envelope):
            let store = try requireStore()
            let payload = try ValueEncoder().encode(envelope)
            try store.saveDraft(Draft(id: Draft.ID(envelope.id), author: store.user.id, family: envelope.family, form: envelope.formName,
                                      savedAt: envelope.savedAt, payload: payload))
            return []
        case .discardDraft(let id):
            try store?.discardDraft(Draft.ID(id))
            return []
        case .print(let request):
            let store = try requireStore()
            let path = try Printing.write(request, store: store, directory: printDirectory, today: today(), language: nil)
            // The family's history now holds the printout (the view is on record already).
            let file = try store.readCase(request.family)
            return [.printed(path: path), .familyOpened(file, .refresh)]
        case .searchWritten(let request, let query, let family):
            let store = try requireStore()
            let found = try store.searchWritten(query, family: family)
            let hits = found.hits.map { hit in
                let row = store.row(hit.family)
                return WrittenHit(family: hit.family, reference: row?.reference ?? Family.reference(for: hit.family),
                                  name: row.map { $0.sensitive ? "" : $0.displayName } ?? "", line: hit.line)
            }
            return [.result(request, .written(hits, total: found.total))]
        case .attachment(let work):
            let store = try requireStore()
            let home = ProcessInfo.processInfo.environment["HOME"]
            switch work.action {
            case .attach(let path, let title):
                try store.attach(path: AttachmentRequest.typedPath(path, home: home), title: title, family: work.family, on: today())
            case .writeCopy(let id, let path):
                try store.writeAttachment(id, family: work.family, to: AttachmentRequest.typedPath(path, home: home))
            case .remove(let id, let reason):
                try store.removeAttachment(id, family: work.family, reason: reason, on: today())
            }
            hubSaved()
            let file = try store.readCase(work.family)
            return [.result(work.request, .saved(file, store.row(work.family))), .familyOpened(file, .refresh)] + notices()
        case .exportCaseload(let families):
            let store = try requireStore()
            let wanted = Set(families)
            let rows = store.caseload().filter { wanted.contains($0.familyID) }
            return [.exported(path: try Printing.writeCaseload(rows, store: store, directory: printDirectory, strings: strings, today: today()),
                              families: rows.count)]
        case .loadMyActions(let request):
            let store = try requireStore()
            let me = store.user.id
            // From the caseload index: no case file is read, no view recorded per family.
            let actions = store.caseload().filter { ($0.lead == me || $0.coworkers.contains(me)) && $0.status != .closed && !$0.damaged }
                .flatMap { WorkerAction.of($0, for: store.user) }
            return [.result(request, .actions(actions))]
        case .loadDrafts(let request):
            let store = try requireStore()
            // Only what every user of the store may read of a draft; families this user may see.
            let visible = Set(store.caseload().map(\.familyID))
            let marks = store.allDrafts().compactMap { draft -> TeamDashboard.DraftMark? in
                guard let family = draft.family, visible.contains(family) else { return nil }
                return TeamDashboard.DraftMark(author: draft.author, family: family, savedOn: Day(secondsSince1970: draft.savedAt))
            }
            return [.result(request, .drafts(marks))]
        case .loadTeamConflicts(let request):
            let store = try requireStore()
            // The families the index marks as in conflict, read whole (no view is recorded:
            // the list names records and fields, not what they hold).
            let found = store.caseload().filter { $0.conflicts > 0 && !$0.damaged }.sorted { $0.reference < $1.reference }
                .flatMap { row in (try? store.readCase(row.familyID)).map { TeamConflict.of($0, row: row) } ?? [] }
            return [.result(request, .conflicts(found))]
        case .findOthersDrafts(let request, let family, let instrumentID):
            let store = try requireStore()
            let found = try store.othersDrafts(family: family).compactMap { draft -> OthersDraft? in
                guard let envelope = try? ValueDecoder().decode(DraftEnvelope.self, from: draft.payload),
                      case .assessment(let assessment) = envelope.content, assessment.instrumentID == instrumentID else { return nil }
                return OthersDraft(author: store.userName(draft.author), savedAt: draft.savedAt, draft: assessment)
            }
            return [.result(request, .othersDrafts(found))]
        case .flushIndex:
            // Printouts made beside this Kith reach their families' history first.
            store?.ingestOutboxReporting()
            store?.flushIndexIfNeeded()
            return notices()
        case .hubTick(let now):
            // Whatever goes wrong with the hub is said on the status line, never as a
            // dialog: the work on the laptop is unaffected, and the next round tries again.
            do {
                return try hubTick(now: now)
            } catch {
                KithLog.error(error, during: "sync with the hub")
                return [.notice(ErrorPresenter.message(error, strings: strings).text)]
            }
        case .reloadFamily(let id):
            // Shown already (its view is on record): brought up to date with what came in.
            return [.familyOpened(try requireStore().readCase(id), .refresh)]
        case .quit:
            hub?.stop()
            store?.close()
            return []
        }
    }

    func requireStore() throws -> Store {
        guard let store else { throw StoreError.noStore(path: storePath) }
        return store
    }

    /// Problems the store found and repaired while working, once each.
    func notices() -> [AppMessage] {
        guard let store, !store.problems.isEmpty else { return [] }
        let messages = store.problems.map { ErrorPresenter.notice($0, strings: strings) }
        store.clearProblems()
        return messages.map(AppMessage.notice)
    }

    /// The session, caseload and recoverable drafts after an unlock.
    public func unlockedMessage() -> AppMessage {
        guard let store else { return .failed(UserMessage(title: strings("error.title"), text: strings("error.unexpected"))) }
        let hubProblem = startHub(store)
        let session = SessionInfo(user: store.user, users: store.users, teamName: store.team?.name ?? "", storePath: storePath, isDemo: isDemo,
                                  idleLockMinutes: store.team?.idleLockMinutes ?? Team.defaultIdleLockMinutes, hasHub: hub != nil)
        Printing.removeOld(in: printDirectory)
        let (drafts, unreadable) = DraftReading.read(store.drafts())
        // Wrong passphrases typed for this user since their last unlock come first.
        let attempts = store.failedAttempts > 0 ? [strings("status.failedAttempts", ["n": String(store.failedAttempts)])] : []
        let notices = attempts + (hubProblem.map { [$0] } ?? []) + store.problems.map { ErrorPresenter.notice($0, strings: strings) } + unreadable.map { $0.message(strings) }
        store.clearProblems()
        return .unlocked(session, store.caseload(), drafts: drafts, notices: notices)
    }
}

extension AppEffect {
    /// The effect's name for log lines (no associated values: they may hold case data).
    var name: String {
        switch self {
        case .unlock: "unlock"
        case .confirmPassphrase: "confirm passphrase"
        case .createStore: "create store"
        case .openFamily: "open family"
        case .save: "save"
        case .checkDuplicates: "duplicate check"
        case .saveDraft: "save draft"
        case .discardDraft: "discard draft"
        case .print: "print"
        case .attachment: "attachment"
        case .searchWritten: "search what was written"
        case .exportCaseload: "export caseload"
        case .resolveConflict: "resolve conflict"
        case .loadMyActions: "load actions"
        case .loadDrafts: "load drafts"
        case .loadTeamConflicts: "load conflicts"
        case .findOthersDrafts: "find others' drafts"
        case .flushIndex: "write index"
        case .hubTick: "sync with the hub"
        case .reloadFamily: "reload family"
        case .quit: "quit"
        }
    }
}
