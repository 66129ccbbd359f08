import KithCore

/// A user who can unlock the store (shown before anything is decrypted).
public struct UnlockUser: Hashable, Sendable {
    public var login: String
    public var role: User.Role?
    public init(login: String, role: User.Role?) {
        self.login = login
        self.role = role
    }
}

/// Choose who you are, type your passphrase (hidden). A wrong passphrase says so and
/// changes nothing.
public struct UnlockScreen: ScreenModel {
    let storePath: String
    let users: [UnlockUser]
    var selected: Int
    var passphrase = TextField(secret: true, limit: 1_000)
    var error: String?
    var unlocking = false
    /// Kith locked itself after a while without a key: the store stays open, and the
    /// passphrase only confirms it is still this person (`confirmPassphrase`).
    private(set) var confirming = false
    /// Minutes without a key before the idle lock came up (said on it).
    private(set) var lockedAfter = 0

    public init(storePath: String, users: [UnlockUser], preferred: String? = nil) {
        self.storePath = storePath
        self.users = users
        selected = preferred.flatMap { login in users.firstIndex { $0.login == login } } ?? 0
    }

    /// The idle lock for `user`.
    public static func idleLock(for user: UnlockUser, after minutes: Int) -> UnlockScreen {
        var screen = UnlockScreen(storePath: "", users: [user])
        screen.confirming = true
        screen.lockedAfter = minutes
        return screen
    }

    public static let keys = Keymap(titleKey: "unlock.title", [
        Binding([.enter], .confirm, footer: true),
        Binding([.up], .moveUp),
        Binding([.down], .moveDown, footer: true),
        Binding([.escape], .clearSearch),
    ])

    public var keymap: Keymap { UnlockScreen.keys }

    public func title(_ context: AppContext) -> String { context.strings(confirming ? "lock.title" : "unlock.title") }

    public func takesText(_ key: Key) -> Bool { key.typedCharacter != nil || key == .backspace }

    public mutating func failed(_ message: String) {
        error = message
        unlocking = false
        passphrase = TextField(secret: true, limit: 1_000)
    }

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        switch keymap.command(for: key) {
        case .moveUp?:
            selected = max(0, selected - 1)
        case .moveDown?:
            selected = min(max(0, users.count - 1), selected + 1)
        case .confirm?:
            guard users.indices.contains(selected), !passphrase.text.isEmpty else { return [] }
            error = nil
            unlocking = true
            let secret = passphrase.text
            passphrase = TextField(secret: true, limit: 1_000)
            return [.effect(confirming ? .confirmPassphrase(secret) : .unlock(login: users[selected].login, passphrase: secret))]
        case .clearSearch?:
            passphrase = TextField(secret: true, limit: 1_000)
        default:
            _ = passphrase.handle(key)
        }
        return []
    }

    public mutating func paste(_ text: String, context: AppContext) -> [ScreenAction] {
        _ = passphrase.paste(text.replacingOccurrences(of: "\n", with: ""))
        return []
    }

    public func render(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        let s = context.strings
        buffer.fill(area, style: ctx[.normal])
        // The error or the hint wraps inside the box (never cut): the box grows to hold it.
        let width = min(area.width - 2, 72)
        let message = error.map { "✗ " + $0 } ?? (unlocking ? s("unlock.unlocking") : s(confirming ? "lock.hint" : "unlock.hint"))
        let messageLines = message.wrapped(to: width - 4)
        let box = area.centered(width: width, height: min(area.height, 8 + users.count + messageLines.count))
        buffer.box(box, style: ctx[.border], title: s(confirming ? "lock.title" : "unlock.title"), titleStyle: ctx[.dialogTitle])
        var y = box.y + 1
        buffer.put(confirming ? s("lock.explain", ["n": String(lockedAfter)]) : s("unlock.store", ["path": storePath]), x: box.x + 2, y: y, style: ctx[.muted], maxWidth: box.width - 4)
        y += 2
        buffer.put(s("unlock.who"), x: box.x + 2, y: y, style: ctx[.formLabel])
        y += 1
        for (i, user) in users.enumerated() where y < box.maxY - 3 - messageLines.count {
            let role = user.role.map { " · " + s($0.labelKey) } ?? ""
            let chosen = i == selected
            buffer.cell((chosen ? "▸ " : "  ") + user.login + role, x: box.x + 4, y: y, width: box.width - 8, style: chosen ? ctx[.listSelected] : ctx[.normal])
            y += 1
        }
        y += 1
        buffer.put(s("unlock.passphrase"), x: box.x + 2, y: y, style: ctx[.formLabel])
        passphrase.render(into: &buffer, area: Rect(x: box.x + 16, y: y, width: box.width - 19, height: 1), style: ctx[.formFieldFocused], focused: true)
        y += 1
        let style = error != nil ? ctx[.formFieldError] : unlocking ? ctx[.muted] : ctx[.formHint]
        for line in messageLines where y < box.maxY - 1 {
            buffer.put(line, x: box.x + 2, y: y, style: style, maxWidth: box.width - 4)
            y += 1
        }
    }
}
