import KithCore

/// An in-progress form, autosaved so nothing typed is lost. The payload is the form's
/// whole state (values, focus and cursor) as the UI encoded it.
public struct Draft: Hashable, Sendable {
    public typealias ID = Identifier<Draft>

    public var id: ID
    public var author: User.ID
    public var family: Family.ID?
    /// Which form this is (e.g. `contactNote`, `assessment`), for the recovery prompt.
    public var form: String
    public var savedAt: Double
    public var payload: Value

    public init(id: ID, author: User.ID, family: Family.ID?, form: String, savedAt: Double, payload: Value) {
        self.id = id
        self.author = author
        self.family = family
        self.form = form
        self.savedAt = savedAt
        self.payload = payload
    }

    package func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: 1024)
        w.byte(1)
        w.string(id.raw)
        w.string(author.raw)
        w.optionalString(family?.raw)
        w.string(form)
        w.double(savedAt)
        payload.write(to: &w)
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8]) throws -> Draft {
        var r = BinaryReader(bytes)
        guard try r.byte() == 1 else { throw BinaryError.malformed("draft version") }
        return Draft(id: ID(try r.string()), author: User.ID(try r.string()), family: try r.optionalString().map(Family.ID.init),
                     form: try r.string(), savedAt: try r.double(), payload: try Value(from: &r))
    }
}

extension Store {
    /// Journals larger than this are rewritten with only the latest state.
    static let draftCompactionBytes: Int64 = 512 * 1024

    /// Appends the form's state to its draft journal; with `sync` (the default) it is
    /// durable when this returns. The newest complete entry wins on recovery.
    public func saveDraft(_ draft: Draft, sync: Bool = true) throws(StoreError) {
        try io.makeDirectory(layout.drafts)
        let path = layout.draft(draft.id.raw)
        let size = io.size(path)
        let payload = draft.encoded()
        if let size, size < Store.draftCompactionBytes, let frames = draftFrames[draft.id] {
            do {
                try io.append(path, FrameFile.frame(payload, kind: .draft, owner: draft.id.raw, sequence: frames, keyring: keyring), sync: sync)
            } catch {
                // The next autosave rewrites the journal whole rather than trusting its length.
                draftFrames[draft.id] = nil
                throw error
            }
            draftFrames[draft.id] = frames + 1
            return
        }
        let bytes = FrameFile.header(kind: .draft, owner: draft.id.raw)
            + FrameFile.frame(payload, kind: .draft, owner: draft.id.raw, sequence: 0, keyring: keyring)
        if size == nil {
            try io.createExclusive(path, bytes, sync: sync)
        } else {
            try io.writeAtomically(path, bytes, sync: sync)
        }
        draftFrames[draft.id] = 1
    }

    /// The user's drafts, newest first. A damaged draft file is set aside and reported.
    public func drafts() -> [Draft] { allDrafts().filter { $0.author == user.id } }

    /// Other users' drafts for a family this user may see (to warn of duplicate work).
    public func othersDrafts(family id: Family.ID) throws(StoreError) -> [Draft] {
        guard let entry = index[id], policy.canSee(entry.row) else { throw .accessDenied(family: id.raw) }
        return allDrafts().filter { $0.author != user.id && $0.family == id }
    }

    /// Every user's drafts (for `kith check`, which names those this Kith can't read;
    /// their content stays encrypted and is shown to no one).
    public func allDrafts() -> [Draft] {
        var result: [Draft] = []
        for name in io.list(layout.drafts) where name.hasSuffix(".draft") {
            let owner = String(name.dropLast(6))
            let path = layout.draft(owner)
            guard let bytes = try? io.readAll(path) else { continue }
            guard let contents = try? FrameFile.read(bytes, kind: .draft, owner: owner, keyring: keyring) else {
                try? setAside(path)
                note(StoreProblem(.fileSetAside, file: "drafts/\(name)", detail: "not a draft"))
                continue
            }
            guard let last = contents.payloads.last.flatMap({ try? Draft.decode($0) }) else { continue }
            if contents.isDamaged {
                // Keep the damaged journal as it is; the next autosave rewrites it whole.
                try? setAsideCopy(path)
                note(StoreProblem(.corruptEntriesSetAside, file: "drafts/\(name)", detail: "\(contents.damagedEntries) entries"))
            } else if contents.tornTail {
                note(StoreProblem(.tornTailRepaired, file: "drafts/\(name)"))
            }
            draftFrames[last.id] = contents.frameCount
            // The next autosave rewrites a damaged, torn or old-format journal whole.
            if contents.tornTail || contents.isDamaged || contents.legacy { draftFrames[last.id] = nil }
            result.append(last)
        }
        return result.sorted { $0.savedAt > $1.savedAt }
    }

    public func discardDraft(_ id: Draft.ID) throws(StoreError) {
        try io.remove(layout.draft(id.raw))
        draftFrames[id] = nil
    }

    /// Marks a draft as recovered in the audit trail.
    public func noteDraftRecovered(_ id: Draft.ID) {
        try? recordAudit(.recoverDraft, target: id.raw, sync: false)
    }
}
