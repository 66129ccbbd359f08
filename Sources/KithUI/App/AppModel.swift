import KithCore

/// The whole application as a value: a stack of screens, an overlay (help or a dialog),
/// the status line and the context. `update` is the only way it changes.
public struct AppModel: ProgramModel, Sendable {
    public typealias Message = AppMessage
    public typealias Effect = AppEffect

    public var context: AppContext
    public var screens: [Screen]
    public var overlay: Overlay?
    public var status: StatusMessage?
    public private(set) var isFinished = false
    /// Drafts still to offer after the current recovery dialog.
    public var pendingRecovery: [DraftEnvelope] = []
    /// When a key last arrived, whether saves since the last index write wait for one, and
    /// when housekeeping last ran (see `housekeeping`).
    private var lastInputAt = 0.0
    private var indexFlushDue = false
    private var lastHousekeepingAt = 0.0
    /// The idle lock, while it is up: nothing of the screens underneath is drawn.
    public private(set) var lock: UnlockScreen?
    /// Seconds without a key before Kith locks itself (case records must not stay on an
    /// unattended screen).
    public var idleLockSeconds = 300.0

    public enum Overlay: Sendable {
        case help(Keymap, scroll: Int)
        case dialog(PendingDialog)
    }

    public init(context: AppContext, screens: [Screen]) {
        self.context = context
        self.screens = screens
    }

    /// With ids that repeat for `seed` (tests and the benchmark).
    public init(context: AppContext, screens: [Screen], seed: UInt64) {
        var context = context
        context.ids = .seeded(seed)
        self.init(context: context, screens: screens)
    }

    public static func terminal(_ event: TerminalEvent) -> AppMessage { .terminal(event) }
    public static func tick(_ now: Double) -> AppMessage { .tick(now) }

    public var top: (any ScreenModel)? { screens.last?.model }

    /// Seconds an information message stays on the status line.
    static let messageSeconds = 6.0

    // MARK: - Update

    public mutating func update(_ message: AppMessage) -> [AppEffect] {
        switch message {
        case .terminal(.resize(let size)):
            context.size = size
            return []
        case .terminal(.signal):
            return saveAllDraftsAndQuit()
        case .terminal(.key(let key)):
            return handle(key)
        case .terminal(.paste(let text)):
            lastInputAt = context.now
            guard lock == nil else { return [] }
            guard overlay == nil, context.size.fits(.minimum), !screens.isEmpty else { return [] }
            return apply(screens[screens.count - 1].model.pasteMutating(text, context: context, into: &screens[screens.count - 1]))
        case .tick(let now):
            context.now = now
            if let expires = status?.expires, now > expires { status = nil }
            guard !screens.isEmpty else { return [] }
            var effects: [AppEffect] = []
            for index in screens.indices {
                var model = screens[index].model
                let actions = model.tick(context: context)
                screens[index].model = model
                effects += apply(actions)
            }
            lockIfIdle()
            return effects + housekeeping()
        default:
            return receive(message)
        }
    }

    /// Seconds without a key before the index is written (after saves) or the outbox read.
    static let quietSeconds = 3.0
    /// At most this long between two rounds of housekeeping while Kith is left open.
    static let housekeepingSeconds = 60.0

    /// At a quiet moment: write the index if saves changed it, and take in what commands
    /// beside this Kith recorded (`.flushIndex` does both).
    private mutating func housekeeping() -> [AppEffect] {
        guard context.session != nil, context.now - lastInputAt >= AppModel.quietSeconds,
              indexFlushDue || context.now - lastHousekeepingAt >= AppModel.housekeepingSeconds else { return [] }
        indexFlushDue = false
        lastHousekeepingAt = context.now
        return [.flushIndex]
    }

    /// Locks once no key has come for `idleLockSeconds` while someone is signed in. Open
    /// forms have written their drafts long before (within a second of typing).
    private mutating func lockIfIdle() {
        guard lock == nil, let session = context.session, context.now - lastInputAt >= idleLockSeconds else { return }
        lock = .idleLock(for: UnlockUser(login: session.user.login, role: session.user.role))
        status = nil
    }

    private mutating func handle(_ key: Key) -> [AppEffect] {
        lastInputAt = context.now
        if var lock {
            // Locked: the passphrase, or quitting (drafts are kept); nothing else.
            if Keymap.global.command(for: key) == .quit { return saveAllDraftsAndQuit() }
            let actions = lock.handle(key, context: context)
            self.lock = lock
            return apply(actions)
        }
        if status?.severity != .error || key != .escape { status = nil }
        guard context.size.fits(.minimum) else {
            return key == .ctrl("q") ? requestQuit() : []
        }
        if let overlay { return handleOverlay(key, overlay) }
        guard let top = screens.last?.model else { return [] }
        // The global keymap first (help and quit even where text is typed); Ctrl-C and
        // Ctrl-Z only where they are not typing.
        switch Keymap.global.command(for: key) {
        case .help?: return apply([.showHelp])
        case .quit?: return requestQuit()
        case .interrupt? where !top.takesText(key): setStatus(context.strings("status.ctrlC"), .info); return []
        case .suspend? where !top.takesText(key): setStatus(context.strings("status.ctrlZ"), .info); return []
        default: break
        }
        var model = top
        let actions = model.handle(key, context: context)
        screens[screens.count - 1].model = model
        return apply(actions)
    }

    private mutating func handleOverlay(_ key: Key, _ overlay: Overlay) -> [AppEffect] {
        switch overlay {
        case .help(let keymap, let scroll):
            switch key {
            case .down, .char("j"), .pageDown: self.overlay = .help(keymap, scroll: min(scroll + 1, max(0, keymap.bindings.count - 3)))
            case .up, .char("k"), .pageUp: self.overlay = .help(keymap, scroll: max(0, scroll - 1))
            default: self.overlay = nil
            }
            return []
        case .dialog(let pending):
            if key == .escape {
                self.overlay = nil
                let effects = apply(pending.onEscape)
                if self.overlay == nil && !pendingRecovery.isEmpty { offerRecovery(pendingRecovery) }
                return effects
            }
            let normalized: Key = if case .char(let c) = key { .char(Character(c.lowercased())) } else { key }
            if let choice = pending.choices[key] ?? pending.choices[normalized] {
                self.overlay = nil
                // To the screen that opened the dialog, as it is now.
                guard let owner = pending.owner, screens.indices.contains(owner) else { return [] }
                var model = screens[owner].model
                let actions = model.chose(choice, context: context)
                screens[owner].model = model
                let effects = apply(actions)
                if self.overlay == nil && !pendingRecovery.isEmpty { offerRecovery(pendingRecovery) }
                return effects
            }
            guard let actions = pending.actions[key] ?? pending.actions[normalized] else { return [] }
            self.overlay = nil
            if let draft = pending.offersDraft, key == .enter || normalized == .char("d") { context.draftsWaiting.remove(draft) }
            let effects = apply(actions)
            if self.overlay == nil && !pendingRecovery.isEmpty { offerRecovery(pendingRecovery) }
            return effects
        }
    }

    // MARK: - Actions

    mutating func apply(_ actions: [ScreenAction]) -> [AppEffect] {
        var effects: [AppEffect] = []
        for action in actions {
            switch action {
            case .push(let screen): screens.append(screen)
            case .pop: if screens.count > 1 { screens.removeLast() }
            case .replace(let screen):
                if !screens.isEmpty { screens.removeLast() }
                screens.append(screen)
            case .effect(let effect): effects.append(effect)
            case .status(let text, let severity): setStatus(text, severity)
            case .dialog(var pending):
                // Screens open dialogs only while on top.
                if !pending.choices.isEmpty { pending.owner = screens.count - 1 }
                overlay = .dialog(pending)
            case .showHelp:
                if let top = screens.last?.model { overlay = .help(top.keymap.merged(with: Keymap.global), scroll: 0) }
            case .requestQuit: effects += requestQuit()
            case .quitNow:
                isFinished = true
                effects.append(.quit)
            }
        }
        return effects
    }

    /// Shows a message on the status line (start-up warnings and the like).
    public mutating func notify(_ text: String, severity: StatusMessage.Severity) { setStatus(text, severity) }

    mutating func setStatus(_ text: String, _ severity: StatusMessage.Severity) {
        status = StatusMessage(text, severity: severity, expires: severity == .info ? context.now + AppModel.messageSeconds : nil)
    }

    /// Unsaved work in any open form, as drafts.
    public var unsavedDrafts: [DraftEnvelope] {
        screens.compactMap { $0.model.unsavedDraft }
    }

    /// Quits at once when nothing is unsaved; otherwise asks.
    mutating func requestQuit() -> [AppEffect] {
        let drafts = unsavedDrafts
        guard !drafts.isEmpty else {
            isFinished = true
            return [.quit]
        }
        let dialog = Dialog(title: context.strings("quit.title"),
                            message: [context.strings("quit.unsaved"), context.strings("quit.keep")],
                            choices: [(.char("k"), context.strings("quit.choice.keep")), (.escape, context.strings("quit.choice.stay"))])
        overlay = .dialog(PendingDialog(dialog: dialog, actions: [.char("k"): drafts.map { .effect(.saveDraft($0)) } + [.quitNow]]))
        return []
    }

    /// SIGTERM, SIGHUP, SIGINT: keep every draft, then stop.
    mutating func saveAllDraftsAndQuit() -> [AppEffect] {
        isFinished = true
        return unsavedDrafts.map { .saveDraft($0) } + [.quit]
    }

    // MARK: - Results from the edge

    private mutating func receive(_ message: AppMessage) -> [AppEffect] {
        switch message {
        case .unlocked(let session, let rows, let drafts, let notices):
            context.session = session
            context.draftsWaiting = Set(drafts.map(\.id))
            lastInputAt = context.now
            screens = [.caseload(CaseloadScreen(rows: rows, context: context))]
            // One line of status: how many more (kith check lists them all), then the first.
            if let notice = notices.first {
                setStatus(notices.count == 1 ? notice : context.strings("status.moreNotices", ["n": String(notices.count - 1)]) + " " + notice, .warning)
            }
            if !drafts.isEmpty { offerRecovery(drafts) }
            return []
        case .caseloadLoaded(let rows):
            for i in screens.indices { if case .caseload(var s) = screens[i] { s.replaceRows(rows, context: context); screens[i] = .caseload(s) } }
            return []
        case .familyOpened(let file, let after):
            return opened(file, after)
        case .passphraseConfirmed(let confirmed):
            if confirmed {
                lock = nil
            } else {
                lock?.failed(context.strings("lock.wrong"))
            }
            return []
        case .saved(let requestID, let file, let row):
            indexFlushDue = true
            return saved(requestID, file, row)
        case .duplicatesFound(let requestID, let matches):
            for i in screens.indices {
                if case .form(var form) = screens[i], form.pendingDuplicateCheck == requestID {
                    let actions = form.duplicatesFound(matches, context: context)
                    screens[i] = .form(form)
                    return apply(actions)
                }
            }
            return []
        case .draftSaved(let id, let at):
            for i in screens.indices {
                if case .form(var form) = screens[i], form.draftID == id { form.lastDraftAt = at; screens[i] = .form(form) }
                if case .assessment(var a) = screens[i], a.draftID == id { a.lastDraftAt = at; screens[i] = .assessment(a) }
            }
            return []
        case .printed(let path):
            setStatus(context.strings("status.printed", ["path": path]), .info)
            return []
        case .othersDraftsFound(let requestID, let found):
            for i in screens.indices {
                if case .assessment(var a) = screens[i], a.pendingOthersCheck == requestID {
                    let actions = a.othersDraftsFound(found, context: context)
                    screens[i] = .assessment(a)
                    return apply(actions)
                }
            }
            return []
        case .actionsLoaded(let actions):
            for i in screens.indices { if case .actions(var s) = screens[i] { s.load(actions); screens[i] = .actions(s) } }
            return []
        case .failed(let message):
            for i in screens.indices {
                if case .form(var form) = screens[i] { form.pendingSave = nil; form.pendingDuplicateCheck = nil; screens[i] = .form(form) }
                if case .assessment(var a) = screens[i] { a.pendingSave = nil; screens[i] = .assessment(a) }
            }
            if case .unlock(var unlock)? = screens.last {
                unlock.failed(message.text)
                screens[screens.count - 1] = .unlock(unlock)
                return []
            }
            overlay = .dialog(PendingDialog(dialog: Dialog(title: message.title, message: [message.text],
                                                           choices: [(.enter, context.strings("dialog.ok"))], isError: message.isError),
                                            actions: [.enter: []]))
            return []
        case .notice(let text):
            setStatus(text, .warning)
            return []
        default:
            return []
        }
    }

    private mutating func opened(_ file: CaseFile, _ after: AfterOpen) -> [AppEffect] {
        var refreshed = false
        for i in screens.indices {
            switch screens[i] {
            case .family(var s) where s.file.family.id == file.family.id:
                s.update(file, context: context)
                screens[i] = .family(s)
                refreshed = true
            case .record(var s) where s.file.family.id == file.family.id:
                s.update(file)
                screens[i] = .record(s)
            default: break
            }
        }
        switch after {
        case .show:
            if !refreshed || !(screens.last.map { if case .family = $0 { true } else { false } } ?? false) {
                screens.append(.family(FamilyScreen(file: file, context: context)))
            }
        case .resume(let draft):
            if !refreshed { screens.append(.family(FamilyScreen(file: file, context: context))) }
            resume(draft, file: file)
        case .refresh:
            break
        }
        return []
    }

    private mutating func saved(_ requestID: String, _ file: CaseFile, _ row: CaseloadRow?) -> [AppEffect] {
        var doneKey: String?
        if let index = screens.lastIndex(where: { screen in
            switch screen {
            case .form(let f): f.pendingSave == requestID
            case .assessment(let a): a.pendingSave == requestID
            case .record(let r): r.pendingSave == requestID
            case .actions(let a): a.pendingSave == requestID
            default: false
            }
        }) {
            switch screens[index] {
            // (The edge removed the draft once the save was durable.)
            case .form(let form):
                doneKey = form.doneKey
                screens.removeSubrange(index...)
            case .assessment(var assessment):
                doneKey = assessment.savedDoneKey
                if assessment.closesAfterSave {
                    screens.removeSubrange(index...)
                } else {
                    assessment.saved(file)
                    screens[index] = .assessment(assessment)
                }
            case .record(var record):
                record.pendingSave = nil
                record.update(file)
                screens[index] = .record(record)
                doneKey = "status.saved"
            case .actions(var actions):
                actions.pendingSave = nil
                actions.saved(file)
                screens[index] = .actions(actions)
                doneKey = actions.pendingDoneKey
            default: break
            }
        }
        for i in screens.indices {
            switch screens[i] {
            case .family(var s) where s.file.family.id == file.family.id:
                s.update(file, context: context); screens[i] = .family(s)
            case .record(var s) where s.file.family.id == file.family.id:
                s.update(file); screens[i] = .record(s)
            case .caseload(var s):
                if let row { s.upsert(row, context: context); screens[i] = .caseload(s) }
            default: break
            }
        }
        if !screens.contains(where: { if case .family(let s) = $0 { s.file.family.id == file.family.id } else { false } }),
           context.session?.policy.canSee(file.family) == true, case .caseload = screens.last {
            screens.append(.family(FamilyScreen(file: file, context: context)))
        }
        if let doneKey { setStatus(context.strings(doneKey), .info) }
        return []
    }

    // MARK: - Drafts

    /// Offers recovered drafts back, newest first, one dialog at a time.
    mutating func offerRecovery(_ drafts: [DraftEnvelope]) {
        guard let draft = drafts.first else { return }
        pendingRecovery = Array(drafts.dropFirst())
        let when = context.strings.dateTime(draft.savedAt)
        var message = [context.strings("recover.message", ["what": context.strings(draft.formName), "when": when])]
        if let family = draft.family { message.append(context.strings("recover.family", ["family": familyLabel(family)])) }
        let dialog = Dialog(title: context.strings("recover.title"),
                            message: message + [context.strings("recover.explain")],
                            choices: [(.enter, context.strings("recover.resume")), (.char("l"), context.strings("recover.later")),
                                      (.char("d"), context.strings("recover.discard"))])
        var resumeActions: [ScreenAction] = []
        if let family = draft.family {
            resumeActions = [.effect(.openFamily(family, then: .resume(draft)))]
        } else if case .form(let purpose, let state) = draft.content {
            resumeActions = [.push(.form(FormScreen(purpose: purpose, file: nil, state: state, draftID: draft.id, context: context)))]
        }
        overlay = .dialog(PendingDialog(dialog: dialog, actions: [
            .enter: resumeActions,
            .char("l"): [],
            .char("d"): [.effect(.discardDraft(draft.id))],
        ], offersDraft: draft.id))
    }

    /// A family named away from its own screen: reference and name, or reference only for a
    /// sensitive family (hidden means hidden on every list, dialog and notice).
    func familyLabel(_ id: Family.ID) -> String {
        for screen in screens {
            guard case .caseload(let caseload) = screen, let row = caseload.rows.first(where: { $0.familyID == id }) else { continue }
            return row.sensitive ? "\(row.reference) ⊘ " + context.strings("caseload.sensitive") : "\(row.reference) \(row.displayName)"
        }
        return id.raw
    }

    mutating func resume(_ draft: DraftEnvelope, file: CaseFile) {
        switch draft.content {
        case .form(let purpose, let state):
            screens.append(.form(FormScreen(purpose: purpose, file: file, state: state, draftID: draft.id, context: context)))
        case .assessment(let saved):
            screens.append(.assessment(AssessmentScreen(resuming: saved, file: file, draftID: draft.id, context: context)))
        }
    }
}

extension ScreenModel {
    /// Calls `paste` on a copy and writes it back into `screen` (existential helper).
    func pasteMutating(_ text: String, context: AppContext, into screen: inout Screen) -> [ScreenAction] {
        var copy = self
        let actions = copy.paste(text, context: context)
        screen.model = copy
        return actions
    }
}
