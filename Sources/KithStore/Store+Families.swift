import KithCore

/// A family's case file as last read, with what is needed to append to its log.
struct CachedCase {
    var file: CaseFile
    var frames: Int
    var size: Int64
    /// Key epochs the log has entries in (see `settleKeys`).
    var usedEpochs: Set<Int> = []
}

extension Store {
    static let cacheLimit = 48

    /// Reads a family log, repairing what can be repaired without losing bytes:
    /// a torn tail is cut off (a copy kept), entries that fail authentication are set
    /// aside with a copy of the file and the log is rewritten from the readable ones.
    func readFamily(_ id: Family.ID) throws(StoreError) -> CachedCase {
        let path = layout.family(id.raw)
        let name = "families/\(id.raw).log"
        guard io.exists(path) else {
            if registry[id] != nil && !awaited.contains(id) { markDamaged(id, "missing"); throw .familyDamaged(reference: Family.reference(for: id)) }
            throw .noSuchFamily(id: id.raw)
        }
        let bytes = try io.readAll(path)
        let recorded = index[id]
        let contents: FrameFile.Contents
        do {
            contents = try FrameFile.read(bytes, kind: .family, owner: id.raw, keyring: keyring)
        } catch {
            try setAside(path)
            let detail: String
            if case .wrongOwner(let other) = error { detail = "holds the log of family \(other)" } else { detail = "not a family log" }
            note(StoreProblem(.fileSetAside, file: name, detail: detail))
            markDamaged(id, detail)
            throw .familyDamaged(reference: Family.reference(for: id))
        }
        var events: [Event] = []
        var payloads: [[UInt8]] = []
        var usedEpochs: Set<Int> = []
        // Entries sealed with a key this user does not hold: kept as they are, not read.
        var withoutKey = 0
        // Entries opened, judged below in the order of their clocks (not of the file: logs
        // merged from other laptops hold the same entries in other orders, and every laptop
        // must judge them alike).
        var opened: [(position: Int, payload: [UInt8], entry: SignedBatch.Opened, epoch: Int?)] = []
        var kept: [(position: Int, payload: [UInt8])] = []
        for (n, payload) in contents.payloads.enumerated() {
            var batch = payload
            var epoch: Int?
            if familyKeysOn {
                guard FamilyEntry.epoch(of: payload) != nil else {
                    note(StoreProblem(.entryRefused, file: name, detail: "\(n + 1)|\(Refusal.notSealed.rawValue)"))
                    kept.append((n, payload))
                    continue
                }
                guard let open = openEntry(payload, family: id) else {
                    if let epoch = FamilyEntry.epoch(of: payload), !keys(id, epoch: epoch).isEmpty {
                        note(StoreProblem(.entryRefused, file: name, detail: "\(n + 1)|\(Refusal.wrongKey.rawValue)"))
                        kept.append((n, payload))
                    } else {
                        withoutKey += 1
                        kept.append((n, payload))
                    }
                    continue
                }
                (batch, epoch) = (open.batch, open.epoch)
            }
            guard let entry = try? SignedBatch.open(batch) else {
                note(StoreProblem(.entryRefused, file: name, detail: "\(n + 1)|\(Refusal.unreadable.rawValue)"))
                kept.append((n, payload))
                continue
            }
            opened.append((n, payload, entry, epoch))
        }
        opened.sort { Store.canonicalOrder($0.entry.events, $1.entry.events) }
        // Whether the signer could write depends on the family record as the entries
        // before left it: that one record is folded as the entries are judged.
        var family = FamilyFold(ref: EntityRef(kind: .family, id: id.raw))
        for (n, payload, entry, epoch) in opened {
            let before = family.current
            if let refusal = refusal(of: entry, family: id, before: before, formerly: family.formerly) {
                // Authentic bytes, judged not to count: kept in the log as they are (every
                // laptop holds and judges the same entries alike), not applied, and named
                // at every reading.
                note(StoreProblem(.entryRefused, file: name, detail: "\(n + 1)|\(refusal.rawValue)"))
                kept.append((n, payload))
                continue
            }
            if let epoch { usedEpochs.insert(epoch) }
            if let before, let signer = entry.signer, var author = users[signer],
               !entry.events.allSatisfy({ $0.action == .print || $0.action == .export }),
               !{ author.active = true; return AccessPolicy(user: author).canEdit(before) }() {
                note(StoreProblem(.writtenAfterRemoval, file: name, detail: "\(n + 1)|\(signer.raw)"))
            }
            events += entry.events
            kept.append((n, payload))
            family.apply(entry.events)
        }
        // The log keeps its own order when rewritten.
        payloads = kept.sorted { $0.position < $1.position }.map(\.payload)
        if let recorded, Int64(bytes.count) < recorded.logSize {
            // Shorter than acknowledged: the entries past the end are gone, for good unless a
            // backup has them. Recorded, so every check says so until a team lead accepts it.
            recordEntriesLost(id, count: max(1, recorded.frames - contents.frameCount))
            note(StoreProblem(.truncated, file: name, detail: "\(bytes.count) of \(recorded.logSize) bytes"))
        }
        var size = Int64(bytes.count)
        var frames = contents.frameCount
        if isBeside && contents.tornTail && !contents.isDamaged && !contents.legacy {
            // The running Kith may be appending this very moment: what it has not finished
            // is simply not there yet.
            size = Int64(contents.validLength)
        } else if contents.isDamaged || contents.legacy {
            // Keep every byte in quarantine/, then rewrite the log from its authentic frames.
            if contents.isDamaged { try setAsideCopy(path) }
            var rewritten = FrameFile.header(kind: .family, owner: id.raw)
            for (n, payload) in payloads.enumerated() {
                rewritten += FrameFile.frame(payload, kind: .family, owner: id.raw, sequence: n, keyring: keyring)
            }
            try io.writeAtomically(path, rewritten)
            size = Int64(rewritten.count)
            frames = payloads.count
            // The shorter log is the repaired truth; the index must not call it truncated.
            if index[id] != nil { index[id]!.logSize = size; index[id]!.frames = frames; indexDirty = true }
            if contents.damagedEntries > 0 {
                recordEntriesSetAside(id, count: contents.damagedEntries)
                note(StoreProblem(.corruptEntriesSetAside, file: name, detail: "\(entriesSetAside[id] ?? 0) entries"))
            }
            if contents.headerDamaged { note(StoreProblem(.headerRepaired, file: name)) }
        } else if contents.tornTail {
            try setAsideCopy(path)
            try io.truncate(path, to: Int64(contents.validLength))
            size = Int64(contents.validLength)
            note(StoreProblem(.tornTailRepaired, file: name))
        }
        if let recorded, size < recorded.logSize {
            // Recorded once: from now on the shorter (repaired) log is what the index expects.
            index[id]?.logSize = size
            index[id]?.frames = frames
            indexDirty = true
        }
        for event in events { observe(event.hlc) }
        guard let file = CaseFile(events: events) else {
            if withoutKey > 0 { throw .accessDenied(family: id.raw) }
            throw .corrupt(file: name, detail: "no readable family record")
        }
        for ref in file.unreadable { note(StoreProblem(.unreadableRecord, file: name, detail: ref.description)) }
        return CachedCase(file: file, frames: frames, size: size, usedEpochs: usedEpochs)
    }

    /// The case file from the cache or the disk; no access check, no audit.
    func cached(_ id: Family.ID) throws(StoreError) -> CachedCase {
        if let hit = cache[id] {
            touch(id)
            return hit
        }
        let loaded = try readFamily(id)
        remember(id, loaded)
        return loaded
    }

    private func touch(_ id: Family.ID) {
        if let i = cacheOrder.firstIndex(of: id) { cacheOrder.remove(at: i) }
        cacheOrder.append(id)
    }

    /// Drops a family's cached case file (it is read again at its next use).
    func forget(_ id: Family.ID) {
        cache[id] = nil
        if let i = cacheOrder.firstIndex(of: id) { cacheOrder.remove(at: i) }
    }

    func remember(_ id: Family.ID, _ entry: CachedCase) {
        cache[id] = entry
        touch(id)
        while cacheOrder.count > Store.cacheLimit {
            cache[cacheOrder.removeFirst()] = nil
        }
    }

    // MARK: - Reading, through the access policy

    /// Recomputes the caseload rows of families saved since their row was made.
    /// Rows marked stale (by a save or a merge) made again from their case files;
    /// `progress` hears (done, total) after each.
    func refreshStaleRows(progress: ((Int, Int) -> Void)? = nil) {
        guard !staleRows.isEmpty else { return }
        let total = staleRows.count
        for (n, id) in staleRows.enumerated() {
            if let file = try? cached(id).file { index[id]?.row = CaseloadRow(file) }
            progress?(n + 1, total)
        }
        staleRows.removeAll()
    }

    /// Every family the user may see, from the index (no case file is read, except to bring
    /// rows up to date after a merge: `progress` hears how far that has got).
    public func caseload(progress: ((Int, Int) -> Void)? = nil) -> [CaseloadRow] {
        refreshStaleRows(progress: progress)
        let policy = self.policy
        return index.values.compactMap { policy.canSee($0.row) ? $0.row : nil }
    }

    /// Families in the store (all of them, whoever may see them).
    public var familyCount: Int { index.count }

    public func row(_ id: Family.ID) -> CaseloadRow? {
        if staleRows.contains(id) { refreshStaleRows() }
        guard let row = index[id]?.row, policy.canSee(row) else { return nil }
        return row
    }

    /// Finds a visible family by its reference (`K-7Q3M2X`), case-insensitively.
    public func family(reference: String) -> CaseloadRow? {
        let wanted = reference.uppercased()
        return caseload().first { $0.reference.uppercased() == wanted }
    }

    /// Opens a case file the user may see, and records the view in the audit trail: what
    /// a person opening a family does (`readCase`, then `recordView`).
    public func openCase(_ id: Family.ID) throws(StoreError) -> CaseFile {
        let file = try readCase(id)
        try recordView(id)
        return file
    }

    /// A case file the user may see, as it now is, recording nothing: for refreshing what
    /// is already on the screen, or finding a record in it before the view that shows it.
    public func readCase(_ id: Family.ID) throws(StoreError) -> CaseFile {
        guard let entry = index[id] else { throw notInIndex(id) }
        if damaged[id] != nil { throw .familyDamaged(reference: entry.row.reference) }
        guard policy.canSee(entry.row) else { throw .accessDenied(family: id.raw) }
        let file = try cached(id).file
        guard policy.canSee(file.family) else { throw .accessDenied(family: id.raw) }
        return file
    }

    /// A family not in this user's index: another's (the store holds it), or none at all.
    func notInIndex(_ id: Family.ID) -> StoreError {
        registry[id] != nil ? .accessDenied(family: id.raw) : .noSuchFamily(id: id.raw)
    }

    /// Records durably that this user viewed the family (before it is shown).
    public func recordView(_ id: Family.ID) throws(StoreError) {
        try recordAudit(.view, target: id.raw, sync: true)
    }

    /// Possible duplicates of a new family across the whole store. Families the user
    /// may not see are returned with their reference and lead only.
    public func duplicateCandidates(members: [DuplicateCheck.NewMember], familyName: String, excluding: Family.ID? = nil)
        -> [(candidate: DuplicateCheck.Candidate, visible: Bool, lead: String)] {
        let key = MatchKeys.key(keyring)
        let wanted = members.map { m in
            (member: MatchKeys.member(given: m.givenName, family: m.familyName, born: m.dateOfBirth, key: key),
             hasBirth: m.dateOfBirth != nil, hasFamilyName: !SearchKey.fold(m.familyName).isEmpty)
        }
        let words = MatchKeys.words(familyName, key: key)
        let policy = self.policy
        var found: [DuplicateCheck.Candidate] = []
        refreshStaleRows()
        // The registry's view of every family; for one it lacks (a store from before), the
        // row of this user's index.
        var all = matchIndex.filter { registry[$0.key] != nil }
        for (id, entry) in index where all[id] == nil && !entry.row.damaged { all[id] = MatchKeys(entry.row, key: key) }
        for (id, keys) in all where id != excluding {
            let (matches, sameBirth) = keys.match(wanted, words: words)
            if matches > 0 {
                found.append(DuplicateCheck.Candidate(familyID: id, reference: Family.reference(for: id), matches: matches, sameDateOfBirth: sameBirth))
            }
        }
        found.sort { ($0.sameDateOfBirth ? 1 : 0, $0.matches, $1.familyID) > ($1.sameDateOfBirth ? 1 : 0, $1.matches, $0.familyID) }
        return found.prefix(8).map { candidate in
            let visible = index[candidate.familyID].map { policy.canSee($0.row) } ?? false
            return (candidate, visible, userName(all[candidate.familyID]?.lead))
        }
    }

    // MARK: - Writing

    /// Creates a family with its first records (members, network…) in one durable write.
    @discardableResult
    public func createFamily(_ family: Family, with records: [any FamilyScoped] = []) throws(StoreError) -> CaseFile {
        guard policy.canCreateFamilies else { throw .notPermitted(action: "createFamilies") }
        let path = layout.family(family.id.raw)
        guard !io.exists(path) else { throw .alreadyExists(path: "families/\(family.id.raw).log") }
        let events = try makeEvents(for: [family] + records, in: nil)
        var payload = sealBatch(events, owner: family.id.raw)
        if familyKeysOn {
            // The key is sealed to everyone who may read the family before anything uses it.
            let (grants, key) = firstKey(for: family)
            try appendGrants(grants)
            payload = FamilyEntry.seal(payload, key: key, epoch: 0, family: family.id, storeID: manifest.storeID)
        }
        let bytes = FrameFile.header(kind: .family, owner: family.id.raw)
            + FrameFile.frame(payload, kind: .family, owner: family.id.raw, sequence: 0, keyring: keyring)
        try io.createExclusive(path, bytes)
        if let problem = StoreError.capture({ () throws(StoreError) in
            try register([RegistryEntry(kind: .registered, family: family.id, team: family.team)]
                + (CaseFile(events: events).flatMap(matchEntry(for:)).map { [$0] } ?? []))
        }) {
            // Not acknowledged: take the new log back so a retry can create it again.
            try? io.remove(path)
            try? io.syncDirectory(layout.families)
            throw problem
        }
        guard let file = CaseFile(events: events) else { throw .corrupt(file: "families/\(family.id.raw).log", detail: "new family unreadable") }
        let cachedCase = CachedCase(file: file, frames: 1, size: Int64(bytes.count), usedEpochs: familyKeysOn ? [0] : [])
        remember(family.id, cachedCase)
        index[family.id] = IndexEntry(row: CaseloadRow(file), logSize: cachedCase.size, frames: 1)
        indexDirty = true
        try recordAudit(.save, target: family.id.raw, fields: ["create"], sync: false)
        return file
    }

    /// Saves changed records of one family: one event per changed record, all in one
    /// frame, durable before returning. Unchanged records write nothing.
    @discardableResult
    public func save(_ records: [any FamilyScoped], family id: Family.ID) throws(StoreError) -> CaseFile {
        guard let entry = index[id] else { throw notInIndex(id) }
        guard policy.canSee(entry.row) else { throw .accessDenied(family: id.raw) }
        var current = try cached(id)
        guard policy.canEdit(current.file.family) else { throw .accessDenied(family: id.raw) }
        for record in records where record.familyID != id { throw .accessDenied(family: record.familyID.raw) }
        let closes = records.contains { $0 is Closure || ($0 as? Family)?.status == .closed && current.file.family.status != .closed }
        if closes && !policy.canClose(current.file.family) { throw .notPermitted(action: "closeCase") }
        if let changed = records.lazy.compactMap({ $0 as? Family }).last, !policy.canReassign(from: current.file.family, to: changed) {
            throw .notPermitted(action: changed.lead != current.file.family.lead || changed.team != current.file.family.team ? "changeLead" : "changeCoworkers")
        }
        let events = try makeEvents(for: records, in: current.file)
        guard !events.isEmpty else { return current.file }
        if let action = policy.leadOnlyAction(in: events, family: current.file.family) { throw .notPermitted(action: action) }
        let before = current.file.family
        try append(events, to: &current, family: id)
        // Who may see the family is kept exact at once; the rest of the row when read.
        let family = current.file.family
        if familyKeysOn && (family.lead != before.lead || family.coworkers != before.coworkers || family.team != before.team) {
            // Keys follow at once: given to whoever joined, a new epoch when someone left.
            // Should that fail, the next write to the family does it.
            _ = try? settleKeys(id, family: family, used: current.usedEpochs)
        }
        index[id]?.row.lead = family.lead
        index[id]?.row.coworkers = family.coworkers
        index[id]?.row.team = family.team
        staleRows.insert(id)
        // The duplicate check's view of the family, when names, births or lead changed
        // (best effort: the save is already durable).
        if records.contains(where: { $0 is Family || $0 is Person }), let entry = matchEntry(for: current.file) { try? register([entry]) }
        indexDirty = true
        try recordAudit(.save, target: id.raw, fields: events.flatMap(\.fieldNames), sync: false)
        return current.file
    }

    /// Records that a record left the store as a printout (an event in the family's
    /// history and an audit entry).
    public func recordOutput(_ action: EventAction, of record: EntityRef, family id: Family.ID, format: String,
                             sharedWith: (agency: String, consent: Consent.ID)? = nil) throws(StoreError) {
        guard let entry = index[id] else { throw notInIndex(id) }
        guard policy.canSee(entry.row) else { throw .accessDenied(family: id.raw) }
        var current = try cached(id)
        var changes = [FieldChange(field: "format", old: nil, new: .string(format))]
        if let sharedWith {
            changes += [FieldChange(field: "sharedWith", old: nil, new: .string(sharedWith.agency)),
                        FieldChange(field: "consent", old: nil, new: .string(sharedWith.consent.raw))]
        }
        let auditFields = sharedWith == nil ? ["format"] : ["format", "sharedWith", "consent"]
        let event = Event(id: ids.id(), hlc: tick(), author: user.id, entity: record, action: action, changes: changes)
        if isBeside {
            // Recorded in this session's outbox, history and audit entry together.
            try writeToOutbox(OutboxEntry(family: id, batch: try entryPayload([event], for: current, family: id), events: [event],
                                          audit: [auditEntry(action == .print ? .print : .export,
                                                                                        target: record.description, fields: auditFields)]))
            current.file.apply([event])
            remember(id, current)
            return
        }
        try append([event], to: &current, family: id)
        indexDirty = true
        try recordAudit(action == .print ? .print : .export, target: record.description, fields: auditFields, sync: true)
    }

    /// Appends events to a family log as one frame (durable on return) and brings the
    /// cached case file and the index's size for it up to date.
    func append(_ events: [Event], to current: inout CachedCase, family id: Family.ID) throws(StoreError) {
        let payload = try entryPayload(events, for: current, family: id)
        try appendPayload(payload, events: events, to: &current, family: id)
        if let epoch = FamilyEntry.epoch(of: payload) { current.usedEpochs.insert(epoch); remember(id, current) }
    }

    /// Events this user wrote, as an entry of the family's log: signed, and sealed with the
    /// family's key once its keys are settled with who may read it now.
    func entryPayload(_ events: [Event], for current: CachedCase, family id: Family.ID) throws(StoreError) -> [UInt8] {
        let batch = sealBatch(events, owner: id.raw)
        guard familyKeysOn else { return batch }
        let (epoch, key) = try settleKeys(id, family: current.file.family, used: current.usedEpochs)
        return FamilyEntry.seal(batch, key: key, epoch: epoch, family: id, storeID: manifest.storeID)
    }

    /// Appends an entry already sealed (by this user, or — from an outbox — by the user of
    /// a session beside this one) to a family log.
    func appendPayload(_ payload: [UInt8], events: [Event], to current: inout CachedCase, family id: Family.ID) throws(StoreError) {
        let frame = FrameFile.frame(payload, kind: .family, owner: id.raw, sequence: current.frames, keyring: keyring)
        try appendToFamily(id, frame)
        current.file.apply(events)
        current.frames += 1
        current.size += Int64(frame.count)
        remember(id, current)
        index[id]?.logSize = current.size
        index[id]?.frames = current.frames
    }

    /// Appends one frame to a family log. When the append fails the cached copy is
    /// dropped, so the next write reads the file again (and cuts off anything a failed
    /// append could not take back) instead of trusting a length that may be stale.
    private func appendToFamily(_ id: Family.ID, _ frame: [UInt8]) throws(StoreError) {
        do { try io.append(layout.family(id.raw), frame) } catch {
            forget(id)
            throw error
        }
    }

    func makeEvents(for records: [any Record], in file: CaseFile?) throws(StoreError) -> [Event] {
        var events: [Event] = []
        let encoder = ValueEncoder()
        for record in records {
            guard let new = try? encoder.encode(record) else { throw .io(file: record.ref.description, operation: "encode", reason: "unknown") }
            let old = file?.value(of: record.ref)
            if Mutability.isViolation(kind: type(of: record).kind, old: old, new: new) { throw .immutable(record: record.ref.description) }
            let changes = file?.changes(to: new, of: record.ref) ?? RecordFold().changes(to: new)
            if changes.isEmpty { continue }
            events.append(Event(id: ids.id(), hlc: tick(), author: user.id, entity: record.ref, action: old == nil ? .create : .update, changes: changes))
        }
        return events
    }
}
