import KithCore

/// The whole application as a value: a stack of screens, an overlay (help or a dialog),
/// the status line and the context. `update` is the only way it changes.
///
/// It routes and stacks: keys go to the top screen (after the global keymap), results to
/// the screen whose request they answer, changes of a family to every screen; the screens
/// do their own bookkeeping.
public struct AppModel: ProgramModel, Sendable {
    public typealias Message = AppMessage
    public typealias Effect = AppEffect

    public var context: AppContext
    public private(set) var screens: [Screen] = []
    /// Each open screen's id, in step with `screens`.
    private(set) var screenIDs: [ScreenID] = []
    private var nextScreenID = 0
    public var overlay: Overlay?
    public var status: StatusMessage?
    public private(set) var isFinished = false
    /// Drafts still to offer after the current recovery dialog.
    public var pendingRecovery: [DraftEnvelope] = []
    private var housekeeping = Housekeeping()
    private var lastHubTick = -Double.infinity
    /// The idle lock, while it is up: nothing of the screens underneath is drawn.
    public private(set) var lock: UnlockScreen?
    /// Seconds without a key before Kith locks itself.
    public var idleLockSeconds: Double {
        get { housekeeping.idleLockSeconds }
        set { housekeeping.idleLockSeconds = newValue }
    }

    public enum Overlay: Sendable {
        case help(Keymap, scroll: Int)
        case dialog(PendingDialog)
    }

    public init(context: AppContext, screens: [Screen]) {
        self.context = context
        for screen in screens { push(screen) }
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

    // MARK: - The stack

    /// Opens `screen` on top.
    public mutating func push(_ screen: Screen) {
        screens.append(screen)
        screenIDs.append(ScreenID(nextScreenID))
        nextScreenID += 1
    }

    /// Puts `screen` where the top screen is, as the same screen (tests and the benchmark
    /// set a screen up this way).
    public mutating func replaceTop(_ screen: Screen) {
        guard !screens.isEmpty else { return push(screen) }
        screens[screens.count - 1] = screen
    }

    /// Closes the screen at `index` and everything above it (the first screen stays).
    private mutating func close(from index: Int) {
        let from = max(1, index)
        guard from < screens.count else { return }
        screens.removeSubrange(from...)
        screenIDs.removeSubrange(from...)
    }

    /// Lets the screen at `index` act on its model, and applies what it asks as its owner.
    private mutating func act(at index: Int, _ body: (inout any ScreenModel) -> [ScreenAction]) -> [AppEffect] {
        var model = screens[index].model
        let actions = body(&model)
        screens[index] = Screen(model)
        return apply(actions, from: index)
    }

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
            housekeeping.input(at: context.now)
            guard lock == nil else { return [] }
            guard overlay == nil, context.size.fits(.minimum), !screens.isEmpty else { return [] }
            let context = context
            return act(at: screens.count - 1) { $0.paste(text, context: context) }
        case .tick(let now):
            context.now = now
            if let expires = status?.expires, now > expires { status = nil }
            guard !screens.isEmpty else { return [] }
            var effects: [AppEffect] = []
            let context = context
            for id in screenIDs {
                // (A screen's tick may close others.)
                guard let index = screenIDs.firstIndex(of: id) else { continue }
                effects += act(at: index) { $0.tick(context: context) }
            }
            lockIfIdle()
            // At a quiet moment: write the index if saves changed it, and take in what
            // commands beside this Kith recorded (`.flushIndex` does both).
            if context.session != nil && housekeeping.due(at: now) { effects.append(.flushIndex) }
            // The hub, once a second (the edge decides when a round is due).
            if context.session?.hasHub == true && now - lastHubTick >= 1 {
                lastHubTick = now
                effects.append(.hubTick(now: now))
            }
            return effects
        default:
            return receive(message)
        }
    }

    /// Locks once no key has come for `idleLockSeconds` while someone is signed in. Open
    /// forms have written their drafts long before (within a second of typing).
    private mutating func lockIfIdle() {
        guard lock == nil, let session = context.session, housekeeping.idle(at: context.now) else { return }
        lock = .idleLock(for: UnlockUser(login: session.user.login, role: session.user.role), after: Int((idleLockSeconds / 60).rounded()))
        status = nil
    }

    private mutating func handle(_ key: Key) -> [AppEffect] {
        housekeeping.input(at: context.now)
        if var lock {
            // Locked: the passphrase, or quitting (drafts are kept); nothing else.
            if Keymap.global.command(for: key) == .quit { return saveAllDraftsAndQuit() }
            let actions = lock.handle(key, context: context)
            self.lock = lock
            return apply(actions, from: nil)
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
        case .help?: return apply([.showHelp], from: nil)
        case .quit?: return requestQuit()
        case .interrupt? where !top.takesText(key): setStatus(context.strings("status.ctrlC"), .info); return []
        case .suspend? where !top.takesText(key): setStatus(context.strings("status.ctrlZ"), .info); return []
        default: break
        }
        let context = context
        return act(at: screens.count - 1) { $0.handle(key, context: context) }
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
            let normalized: Key = if case .char(let c) = key { .char(Character(c.lowercased())) } else { key }
            let choice = pending.choices[key] ?? pending.choices[normalized]
            let actions = key == .escape ? pending.onEscape : pending.actions[key] ?? pending.actions[normalized]
            guard choice != nil || actions != nil else { return [] }
            self.overlay = nil
            var effects: [AppEffect] = []
            if let choice {
                // To the screen that opened the dialog, as it is now.
                if let owner = pending.owner, let index = screenIDs.firstIndex(of: owner) {
                    let context = context
                    effects = act(at: index) { $0.chose(choice, context: context) }
                }
            } else if let actions {
                if let draft = pending.offersDraft, key == .enter || normalized == .char("d") { context.draftsWaiting.remove(draft) }
                effects = apply(actions, from: nil)
            }
            // The next recovered draft, once this dialog has gone.
            if self.overlay == nil && !pendingRecovery.isEmpty { offerRecovery(pendingRecovery) }
            return effects
        }
    }

    // MARK: - Actions

    /// Applies what the screen at `owner` asked (or the app itself, when nil): `pop` and
    /// `replace` close that screen, effects answer to it, its dialogs' choices go to it.
    mutating func apply(_ actions: [ScreenAction], from owner: Int?) -> [AppEffect] {
        var effects: [AppEffect] = []
        // The asking screen, by id: a `push` before a `pop` must not move it. The app's own
        // actions close the top screen; a screen already closed closes nothing more.
        let ownerID = owner.flatMap { screenIDs.indices.contains($0) ? screenIDs[$0] : nil }
        func ownerIndex() -> Int? { ownerID.map { screenIDs.firstIndex(of: $0) } ?? screens.count - 1 }
        for action in actions {
            switch action {
            case .push(let screen):
                push(screen)
                let context = context
                effects += act(at: screens.count - 1) { $0.appear(context: context) }
            case .pop:
                if let index = ownerIndex() { close(from: index) }
            case .replace(let screen):
                if let index = ownerIndex().map({ max(0, $0) }) {
                    screens.removeSubrange(index...)
                    screenIDs.removeSubrange(index...)
                }
                push(screen)
                let context = context
                effects += act(at: screens.count - 1) { $0.appear(context: context) }
            case .effect(let effect): effects.append(ownerID.map { effect.routed(to: $0) } ?? effect)
            case .status(let text, let severity): setStatus(text, severity)
            case .dialog(var pending):
                if !pending.choices.isEmpty { pending.owner = ownerID }
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
            idleLockSeconds = Double(session.idleLockMinutes) * 60
            context.draftsWaiting = Set(drafts.map(\.id))
            housekeeping.input(at: context.now)
            screens = []
            screenIDs = []
            push(.caseload(CaseloadScreen(rows: rows, context: context)))
            // One line of status: how many more (kith check lists them all), then the first.
            if let notice = notices.first {
                setStatus(notices.count == 1 ? notice : context.strings("status.moreNotices", ["n": String(notices.count - 1)]) + " " + notice, .warning)
            }
            noticeSignOffs(rows, quiet: !notices.isEmpty)
            if !drafts.isEmpty { offerRecovery(drafts) }
            return []
        case .passphraseConfirmed(let confirmed):
            if confirmed {
                lock = nil
            } else {
                lock?.failed(context.strings("lock.wrong"))
            }
            return []
        case .result(let request, let result):
            return route(result, to: request)
        case .familyOpened(let file, let after):
            familyChanged(file, row: nil)
            return opened(file, after)
        case .printed(let path):
            setStatus(context.strings("status.printed", ["path": path]), .info)
            return []
        case .exported(let path, let families):
            setStatus(context.strings("status.exported", ["path": path, "n": String(families)]), .info)
            return []
        case .failed(let message):
            if case .unlock(var unlock)? = screens.last {
                unlock.failed(message.text)
                screens[screens.count - 1] = .unlock(unlock)
                return []
            }
            show(message)
            return []
        case .notice(let text):
            setStatus(text, .warning)
            return []
        case .hubStatus(let status):
            context.hub = status
            return []
        case .hubMerged(let rows, let families):
            if case .caseload(var caseload)? = screens.first {
                caseload.replaceRows(rows, context: context)
                screens[0] = .caseload(caseload)
            }
            // Screens showing a changed family read it again (once each).
            var shown: [Family.ID] = []
            for screen in screens {
                if let id = screen.familyShown, families.contains(id), !shown.contains(id) { shown.append(id) }
            }
            return shown.map { .reloadFamily($0) }
        case .terminal, .tick:
            return []
        }
    }

    /// A result to the screen that asked (if it is still open); a save also to every
    /// screen, and a failure to the person.
    private mutating func route(_ result: ScreenResult, to request: Request) -> [AppEffect] {
        var effects: [AppEffect] = []
        if let id = request.screen, let index = screenIDs.firstIndex(of: id) {
            let context = context
            effects = act(at: index) { $0.receive(result, for: request.id, context: context) }
        }
        switch result {
        case .saved(let file, let row):
            housekeeping.saved()
            familyChanged(file, row: row)
        case .failed(let message):
            show(message)
        default:
            break
        }
        return effects
    }

    /// Every screen hears that a family changed.
    private mutating func familyChanged(_ file: CaseFile, row: CaseloadRow?) {
        for index in screens.indices {
            var model = screens[index].model
            model.familyChanged(file, row: row, context: context)
            screens[index] = Screen(model)
        }
    }

    private mutating func show(_ message: UserMessage) {
        overlay = .dialog(PendingDialog(dialog: Dialog(title: message.title, message: [message.text],
                                                       choices: [(.enter, context.strings("dialog.ok"))], isError: message.isError),
                                        actions: [.enter: []]))
    }

    /// A family was read: show it (unless it is on top already), or reopen a recovered
    /// draft on it.
    private mutating func opened(_ file: CaseFile, _ after: AfterOpen) -> [AppEffect] {
        let showing = screens.last.map { if case .family(let s) = $0 { s.file.family.id == file.family.id } else { false } } ?? false
        switch after {
        case .show:
            if !showing { push(.family(FamilyScreen(file: file, context: context))) }
        case .resume(let draft):
            if !showing { push(.family(FamilyScreen(file: file, context: context))) }
            resume(draft, file: file)
        case .refresh:
            break
        case .conflicts(let ref, let path):
            if !showing { push(.family(FamilyScreen(file: file, context: context))) }
            push(.conflicts(ConflictScreen(file: file, selecting: ref, path: path)))
        case .form(let purpose):
            if !showing { push(.family(FamilyScreen(file: file, context: context))) }
            push(.form(FormScreen(purpose: purpose, file: file, context: context)))
        case .record(let ref, let find):
            if !showing { push(.family(FamilyScreen(file: file, context: context))) }
            push(.record(RecordScreen(file: file, ref: ref, context: context, find: find)))
        case .signOff(let id):
            if !showing { push(.family(FamilyScreen(file: file, context: context))) }
            guard let request = file.signOffs[id] else { return [] }
            // A proposed closure is read in the request itself; anything else in its record.
            push(.record(RecordScreen(file: file, ref: request.proposedClosure == nil ? request.target : request.ref, context: context)))
            guard request.isReturnedUnseen, request.requestedBy == context.session?.user.id else { return [] }
            var seen = request
            seen.seenOn = context.today
            return [.save(SaveRequest(Request(context), family: file.family.id, records: [seen], draftID: nil))]
        }
        return []
    }

    /// At unlock: a worker sees what was returned to them (the sign-off list opens on it);
    /// a team lead hears how many requests wait for them.
    mutating func noticeSignOffs(_ rows: [CaseloadRow], quiet: Bool) {
        let list = SignOffScreen(rows: rows, context: context)
        let s = context.strings
        if list.deciding {
            if !list.items.isEmpty && !quiet { setStatus(s("signOff.waiting", ["n": String(list.items.count)]), .info) }
            return
        }
        let returned = list.items.filter { $0.mark.state == .returned }.count
        guard returned > 0 else { return }
        push(.signOffList(list))
        if !quiet { setStatus(s("signOff.returnedNotice", ["n": String(returned)]), .warning) }
    }

    // MARK: - Drafts

    /// Offers recovered drafts back, newest first, one dialog at a time.
    mutating func offerRecovery(_ drafts: [DraftEnvelope]) {
        guard let draft = drafts.first else { return }
        pendingRecovery = Array(drafts.dropFirst())
        // (The caseload is the first screen once unlocked.)
        var row: CaseloadRow?
        if case .caseload(let caseload)? = screens.first, let family = draft.family { row = caseload.rows.first { $0.familyID == family } }
        overlay = .dialog(draft.recoveryDialog(row: row, context: context))
    }

    mutating func resume(_ draft: DraftEnvelope, file: CaseFile) {
        push(draft.screen(file: file, context: context))
    }
}
