import KithCore

/// Names one piece of work a screen asked of the edge (a save, a duplicate check…).
/// Drawn from the context's id source, so two requests never share one.
public struct RequestID: Hashable, Sendable, CustomStringConvertible {
    public let raw: String

    public init(_ raw: String) { self.raw = raw }

    /// A fresh id from `ids` (the app context's).
    public init(_ ids: IDSource) { raw = ids.text("R", count: 12) }

    public var description: String { raw }
}

/// A screen's place in the app's stack, for as long as it is open: results of its
/// requests come back to it by this, wherever it has moved since.
public struct ScreenID: Hashable, Sendable {
    public let raw: Int

    public init(_ raw: Int) { self.raw = raw }
}

/// A request and the screen that made it. A screen makes one with `screen` unset; the app
/// model sets it when it takes the screen's actions (`AppModel.apply(_:from:)`).
public struct Request: Hashable, Sendable {
    public var id: RequestID
    public var screen: ScreenID?

    public init(_ id: RequestID, screen: ScreenID? = nil) {
        self.id = id
        self.screen = screen
    }

    /// A new request from `context`'s id source.
    public init(_ context: AppContext) { self.init(RequestID(context.ids)) }
}

/// What came of a screen's request, handed to that screen (`ScreenModel.receive`).
public enum ScreenResult: Equatable, Sendable {
    /// The records are durable; the family as it now is, and its caseload row.
    case saved(CaseFile, CaseloadRow?)
    /// The duplicate check's matches (none: go ahead).
    case duplicates([DuplicateMatch])
    /// Other users' drafts of the instrument asked about.
    case othersDrafts([OthersDraft])
    /// The user's actions across their families.
    case actions([WorkerAction])
    /// Open conflicts across the user's families.
    case conflicts([TeamConflict])
    /// Drafts on this laptop: whose, on which family, when.
    case drafts([TeamDashboard.DraftMark])
    /// Lines of what was written that hold the phrase asked for, and how many there were.
    case written([WrittenHit], total: Int)
    /// The work failed; the app shows why (the screen only stops waiting).
    case failed(UserMessage)
}

/// One line found by a search of what was written, with its family as the caseload names it.
public struct WrittenHit: Hashable, Sendable {
    public var family: Family.ID
    public var reference: String
    /// Empty for a sensitive family (shown by its reference only).
    public var name: String
    public var line: WrittenLine

    public init(family: Family.ID, reference: String, name: String, line: WrittenLine) {
        self.family = family
        self.reference = reference
        self.name = name
        self.line = line
    }
}
