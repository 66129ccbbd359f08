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
    /// Whether this user could open what the form held (`payload` is `.null` when not).
    public var isReadable = true
    /// Written before drafts were sealed with a family's or their author's key.
    var isLegacy = false

    public init(id: ID, author: User.ID, family: Family.ID?, form: String, savedAt: Double, payload: Value) {
        self.id = id
        self.author = author
        self.family = family
        self.form = form
        self.savedAt = savedAt
        self.payload = payload
    }

    /// Version 2: the form's state is sealed by `seal` (with the family's key, or the
    /// author's own); who, which family, which form and when stay readable to every user of
    /// the store, so the duplicate-work warning and `kith check` can name a draft.
    package func encoded(sealing seal: (([UInt8]) -> [UInt8])? = nil) -> [UInt8] {
        var w = BinaryWriter(capacity: 1024)
        w.byte(seal == nil ? 1 : 2)
        w.string(id.raw)
        w.string(author.raw)
        w.optionalString(family?.raw)
        w.string(form)
        w.double(savedAt)
        if let seal {
            var content = BinaryWriter(capacity: 1024)
            payload.write(to: &content)
            w.data(seal(content.bytes))
        } else {
            payload.write(to: &w)
        }
        return w.bytes
    }

    /// `open` gives back what `seal` sealed, or nil when this user holds no key for it.
    package static func decode(_ bytes: [UInt8], open: ([UInt8], Draft) -> [UInt8]? = { _, _ in nil }) throws -> Draft {
        var r = BinaryReader(bytes)
        let version = try r.byte()
        guard version == 1 || version == 2 else { throw BinaryError.malformed("draft version") }
        var draft = Draft(id: ID(try r.string()), author: User.ID(try r.string()), family: try r.optionalString().map(Family.ID.init),
                          form: try r.string(), savedAt: try r.double(), payload: .null)
        if version == 1 {
            draft.payload = try Value(from: &r)
            draft.isLegacy = true
        } else if let content = open(try r.data(), draft) {
            var inner = BinaryReader(content)
            draft.payload = try Value(from: &inner)
        } else {
            draft.isReadable = false
        }
        return draft
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
        let payload = draft.encoded(sealing: draftSealer(draft))
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
        return allDrafts().filter { $0.author != user.id && $0.family == id && $0.isReadable }
    }

    /// A draft's form state is sealed with its family's newest key this user holds (so those
    /// who may read the family may see it, for the duplicate-work warning), or with the
    /// author's own key (a family not created yet); before keys per family, not at all.
    func draftSealer(_ draft: Draft) -> (([UInt8]) -> [UInt8])? {
        guard familyKeysOn, let identity else { return nil }
        let storeID = manifest.storeID
        if let family = draft.family, let epoch = heldEpochs(family).first, let held = keys(family, epoch: epoch).first {
            return { FamilyEntry.seal($0, key: held.key, epoch: epoch, family: family, storeID: storeID) }
        }
        let personal = Keyring.personal(identity, storeID: storeID)
        let associated = Array("kith draft v1|\(draft.id.raw)".utf8)
        return { Store.personalMagic + personal.seal($0, associated: associated) }
    }

    static let personalMagic: [UInt8] = Array("KPD1".utf8)

    /// What `draftSealer` sealed, when this user holds the key.
    func openDraftContent(_ sealed: [UInt8], draft: Draft) -> [UInt8]? {
        if let family = draft.family, FamilyEntry.epoch(of: sealed) != nil { return openEntry(sealed, family: family)?.batch }
        guard sealed.starts(with: Store.personalMagic), draft.author == user.id, let identity else { return nil }
        return Keyring.personal(identity, storeID: manifest.storeID).open(Array(sealed.dropFirst(4)), associated: Array("kith draft v1|\(draft.id.raw)".utf8))
    }

    /// At unlock: this user's drafts written before drafts were sealed are written again
    /// sealed (best effort; each stays as it was until then).
    func resealOwnDrafts() {
        guard familyKeysOn, identity != nil, !isBeside else { return }
        for draft in drafts() where draft.isLegacy {
            draftFrames[draft.id] = nil      // rewritten whole, not appended to
            try? saveDraft(draft)
        }
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
            guard let last = contents.payloads.last.flatMap({ try? Draft.decode($0, open: openDraftContent(_:draft:)) }) else { continue }
            if contents.isDamaged {
                // Keep the damaged journal as it is (one copy a session, however often it is
                // read); the next autosave rewrites it whole.
                if draftsCopied.insert(name).inserted { try? setAsideCopy(path) }
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
