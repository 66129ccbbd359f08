import Crypto
import Foundation
import KithCore

extension Store {
    /// Reads users and teams from `team.log` (either of its two copies; a damaged or
    /// missing copy is rewritten from the other). Each entry is checked against the users
    /// as the entries before it left them (`teamRefusal`); one refused is named and not
    /// applied, so editing the file can't make anyone a team lead.
    func loadTeam() throws(StoreError) {
        let (payloads, findings) = try teamLog.load(io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
        report(findings, file: "team.log")
        teamValues = [:]
        users = [:]
        teams = [:]
        deactivatedAt = [:]
        formerSigningKeys = [:]
        unsignedTeamEntries = !trust.signedOnly
        var digest = SHA256()
        defer { (teamEntries, teamDigest) = (payloads.count, digest) }
        for (n, payload) in payloads.enumerated() {
            defer { digest.update(data: payload) }
            guard let entry = try? SignedBatch.open(payload) else { throw .corrupt(file: "team.log", detail: "undecodable entry") }
            if let refusal = teamRefusal(entry) {
                note(StoreProblem(.entryRefused, file: "team.log", detail: "\(n + 1)|\(refusal.rawValue)"))
                continue
            }
            if entry.signer != nil, let claimed = Store.checkpoint(in: entry) {
                // From here on every entry is signed; what came before is what this signed
                // entry saw (a team log from before identities, closed off).
                if claimed != Store.checkpoint(frames: n, digest: digest) {
                    note(StoreProblem(.entryRefused, file: "team.log", detail: "\(n + 1)|\(Refusal.historyChanged.rawValue)"))
                }
                unsignedTeamEntries = false
            }
            var touched: Set<EntityRef> = []
            for event in entry.events {
                observe(event.hlc)
                noteDeactivation(event)
                noteKeyChange(event)
                teamValues[event.entity] = (teamValues[event.entity] ?? .object([:])).applying(event.changes)
                touched.insert(event.entity)
            }
            for ref in touched { decodeTeamRecord(ref) }
        }
    }

    /// The checkpoint an entry carries (on a team record: `signedFrom`), if any.
    static func checkpoint(in entry: SignedBatch.Opened) -> String? {
        for event in entry.events where event.entity.kind == .team {
            if let change = event.changes.last(where: { $0.field == "signedFrom" }), case .string(let value)? = change.new { return value }
        }
        return nil
    }

    /// "N|hash": the number of entries before and the SHA-256 of their bytes.
    static func checkpoint(frames: Int, digest: SHA256) -> String {
        "\(frames)|" + digest.finalize().hexString
    }

    /// A store from before identities takes unsigned team-log entries (its history). The
    /// first team lead or admin to unlock it with an identity closes that history with a
    /// signed checkpoint of every entry so far: from then on, in everyone's view, an
    /// unsigned entry is refused and a change to what came before is reported.
    func closeUnsignedHistory() {
        guard unsignedTeamEntries, !isBeside, identity != nil, user.role == .teamLead || user.role == .admin,
              teams[user.team] != nil else { return }
        let event = Event(id: ids.id(), hlc: tick(), author: user.id, entity: EntityRef(kind: .team, id: user.team.raw), action: .update,
                          changes: [FieldChange(field: "signedFrom", old: nil, new: .string(Store.checkpoint(frames: teamEntries, digest: teamDigest)))])
        let payload = sealBatch([event], owner: Store.teamLogOwner)
        guard (try? teamLog.append(payload, io: io, keyring: keyring, quarantine: { path throws(StoreError) in try setAsideCopy(path) })) != nil else { return }
        teamDigest.update(data: payload)
        teamEntries += 1
        teamValues[event.entity] = (teamValues[event.entity] ?? .object([:])).applying(event.changes)
        unsignedTeamEntries = false
    }

    /// When a user was deactivated (the clock of the entry that did it), or reactivated.
    func noteDeactivation(_ event: Event) {
        guard event.entity.kind == .user, let change = event.changes.last(where: { $0.field == "active" }) else { return }
        deactivatedAt[User.ID(event.entity.id)] = change.new == .bool(false) ? event.hlc : nil
    }

    /// Keeps a user's signing key when an entry replaces it (a reset): what they signed
    /// with it before still checks out, nothing dated after.
    func noteKeyChange(_ event: Event) {
        guard event.entity.kind == .user, event.changes.contains(where: { $0.field == "signingKey" }),
              let old = teamValues[event.entity]?.objectValue?["signingKey"]?.stringValue else { return }
        formerSigningKeys[User.ID(event.entity.id), default: []].append((old, event.hlc))
    }

    private func decodeTeamRecord(_ ref: EntityRef) {
        guard let value = teamValues[ref] else { return }
        switch ref.kind {
        case .user: if let u = try? ValueDecoder().decode(User.self, from: value) { users[u.id] = u }
        case .team: if let t = try? ValueDecoder().decode(Team.self, from: value) { teams[t.id] = t }
        default: break
        }
    }

    /// Saves user or team records to the team log (durable before returning).
    func saveTeamRecords(_ records: [any Record]) throws(StoreError) {
        var events: [Event] = []
        for record in records {
            guard let new = try? ValueEncoder().encode(record) else { continue }
            let old = teamValues[record.ref]
            let changes = new.changes(from: old)
            if changes.isEmpty { continue }
            events.append(Event(id: ids.id(), hlc: tick(), author: user.id, entity: record.ref, action: old == nil ? .create : .update, changes: changes))
        }
        guard !events.isEmpty else { return }
        let payload = sealBatch(events, owner: Store.teamLogOwner)
        try teamLog.append(payload, io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
        teamDigest.update(data: payload)
        teamEntries += 1
        for event in events {
            noteKeyChange(event)
            teamValues[event.entity] = (teamValues[event.entity] ?? .object([:])).applying(event.changes)
            noteDeactivation(event)
        }
        for record in records {
            if let u = record as? User { users[u.id] = u }
            if let t = record as? Team { teams[t.id] = t }
        }
    }

    public var canManageUsers: Bool { user.role == .admin || user.role == .teamLead }

    /// Adds a user with their own key slot. Admins and team leads may add users.
    @discardableResult
    public func addUser(login: String, displayName: String, role: User.Role, team: Team.ID? = nil,
                        passphrase: String, kdf: KDFParameters = .standard, id: User.ID? = nil) throws(StoreError) -> User {
        try addUser(login: login, displayName: displayName, role: role, team: team, passphrase: passphrase, kdf: kdf, id: id, identity: .generate())
    }

    /// Adds a user with `identity` (the demo keeps its users' identities, to sign their
    /// synthetic history as them). The new slot trusts what the adder's does.
    @discardableResult
    package func addUser(login: String, displayName: String, role: User.Role, team: Team.ID? = nil,
                         passphrase: String, kdf: KDFParameters = .standard, id: User.ID? = nil, identity: Identity) throws(StoreError) -> User {
        guard canManageUsers else { throw .notPermitted(action: "addUsers") }
        try Store.check(newPassphrase: passphrase, login: login)
        var slots = try Store.readSlots(layout, io)
        var identity = identity
        var id = id
        if let existing = slots.slots.firstIndex(where: { $0.login == login }) {
            // A slot without its user's record is an add that did not finish (the slot is
            // written first): finish it, with the identity that slot holds.
            let unfinished = slots.slots[existing]
            guard users[User.ID(unfinished.user)] == nil else { throw .duplicateLogin(login: login) }
            if let opened = try? unfinished.unwrap(passphrase: passphrase, storeID: manifest.storeID), let held = opened.identity { identity = held }
            id = User.ID(unfinished.user)
            slots.slots.remove(at: existing)
        }
        var newUser = User(id: id ?? .random(), login: login, displayName: displayName, role: role, team: team ?? user.team)
        newUser.signingKey = identity.publicKeys.signing
        newUser.agreementKey = identity.publicKeys.agreement
        let slot = try makeSlot(for: newUser, identity: identity, passphrase: passphrase, kdf: kdf)
        // The slot first: the identity it holds is then never lost, whatever fails after.
        slots.slots.append(slot)
        try Store.writeSlots(slots, layout, io)
        try saveTeamRecords([newUser])
        try recordAudit(.addUser, target: newUser.ref.description, sync: true)
        return newUser
    }

    /// A user who leaves is deactivated: their record says so (they can no longer unlock,
    /// and are listed as deactivated), and their key slot is removed. What they wrote stays theirs; families
    /// they lead keep them as lead until a team lead gives each to someone else. Team leads
    /// and admins may deactivate anyone but themselves; only an admin deactivates an admin.
    public func deactivateUser(login: String) throws(StoreError) {
        guard canManageUsers else { throw .notPermitted(action: "deactivateUsers") }
        guard login != user.login else { throw .notPermitted(action: "deactivateSelf") }
        guard var leaving = users.values.first(where: { $0.login == login && $0.active }) else { throw .unknownUser(login: login) }
        guard leaving.role != .admin || user.role == .admin else { throw .notPermitted(action: "deactivateUsers") }
        leaving.active = false
        // The record first: from then on they can't unlock, whatever fails after.
        try saveTeamRecords([leaving])
        var slots = try Store.readSlots(layout, io)
        slots.slots.removeAll { $0.user == leaving.id.raw }
        try Store.writeSlots(slots, layout, io)
        // Every family they could read that this user can write to gets a new key now; the
        // rest at their next write (see `settleKeys`).
        let moved = rotateKeys(awayFrom: leaving.id)
        try recordAudit(.deactivateUser, target: leaving.ref.description, fields: ["families:\(moved)"], sync: true)
    }

    /// A user who forgot their passphrase gets a new one from a team lead (or an admin):
    /// a new identity in a new slot (the old slot is gone, so the old passphrase opens
    /// nothing), published in their record. Their old key still checks what they signed
    /// before, nothing after; every family they may read that this user can write to gets a
    /// new key epoch at once, sealed to their new key with every older epoch (the rest
    /// follow at the next unlock or write of someone holding them). Team leads and admins
    /// may reset anyone but themselves; only an admin resets an admin. Audited.
    public func resetUser(login: String, passphrase: String, kdf: KDFParameters = .standard) throws(StoreError) {
        guard canManageUsers else { throw .notPermitted(action: "resetUsers") }
        guard login != user.login else { throw .notPermitted(action: "resetSelf") }
        guard var person = users.values.first(where: { $0.login == login && $0.active }) else { throw .unknownUser(login: login) }
        guard person.role != .admin || user.role == .admin else { throw .notPermitted(action: "resetUsers") }
        try Store.check(newPassphrase: passphrase, login: login)
        let identity = Identity.generate()
        person.signingKey = identity.publicKeys.signing
        person.agreementKey = identity.publicKeys.agreement
        let slot = try makeSlot(for: person, identity: identity, passphrase: passphrase, kdf: kdf)
        var slots = try Store.readSlots(layout, io)
        slots.slots.removeAll { $0.user == person.id.raw }
        slots.slots.append(slot)
        try Store.writeSlots(slots, layout, io)
        try saveTeamRecords([person])
        let moved = rotateKeys(awayFrom: person.id)
        grantMissing()
        try recordAudit(.resetUser, target: person.ref.description, fields: ["families:\(moved)"], sync: true)
    }

    /// A key slot for `person` holding `identity` under `passphrase`, trusting what this
    /// user's slot trusts.
    func makeSlot(for person: User, identity: Identity, passphrase: String, kdf: KDFParameters) throws(StoreError) -> KeySlot {
        do {
            return try KeySlot.make(user: person, keyring: keyring, identity: identity, trust: trust, passphrase: passphrase, kdf: kdf,
                                    storeID: manifest.storeID)
        } catch {
            throw .io(file: "keys.json", operation: "deriveKey", reason: "scryptFailed")
        }
    }

    /// Adds a team (for stores that hold several teams).
    @discardableResult
    public func addTeam(name: String) throws(StoreError) -> Team {
        guard canManageUsers else { throw .notPermitted(action: "addTeams") }
        let team = Team(id: .random(), name: name)
        try saveTeamRecords([team])
        return team
    }

    /// Rewraps the current user's key slot under a new passphrase. Only that slot
    /// changes; no record is re-encrypted.
    public func changePassphrase(old: String, new: String, kdf: KDFParameters = .standard) throws(StoreError) {
        try Store.check(newPassphrase: new, login: user.login)
        var slots = try Store.readSlots(layout, io)
        guard let index = slots.slots.firstIndex(where: { $0.user == user.id.raw }) else { throw .unknownUser(login: user.login) }
        let check: KeySlot.Unwrapped?
        do { check = try slots.slots[index].unwrap(passphrase: old, storeID: manifest.storeID) } catch {
            throw .corrupt(file: "keys.json", detail: "key slot parameters")
        }
        guard check != nil else {
            // Already changed (an earlier attempt replaced the slot, then failed to flush its
            // folder): saying "wrong passphrase" would send the person round in circles.
            if (try? slots.slots[index].unwrap(passphrase: new, storeID: manifest.storeID)) != nil {
                try io.syncDirectory(layout.root)
                return
            }
            throw .wrongPassphrase(login: user.login)
        }
        let identity = self.identity ?? check?.identity ?? .generate()
        slots.slots[index] = try makeSlot(for: user, identity: identity, passphrase: new, kdf: kdf)
        try Store.writeSlots(slots, layout, io)
        if self.identity == nil {
            self.identity = identity
            try publishKeys()
        }
        try recordAudit(.changePassphrase, target: user.ref.description, sync: true)
    }

    /// The team's name, office phone and out-of-hours number (team leads, for their team).
    public func updateTeam(name: String? = nil, phone: String? = nil, outOfHours: String? = nil, idleLockMinutes: Int? = nil) throws(StoreError) {
        guard user.role == .teamLead || user.role == .admin else { throw .notPermitted(action: "teamSettings") }
        var team = teams[user.team] ?? Team(id: user.team, name: "")
        if let name, !name.isEmpty { team.name = name }
        if let phone { team.phone = phone.isEmpty ? nil : phone }
        if let outOfHours { team.outOfHours = outOfHours.isEmpty ? nil : outOfHours }
        if let idleLockMinutes { team.idleLockMinutes = min(max(idleLockMinutes, Team.idleLockRange.lowerBound), Team.idleLockRange.upperBound) }
        try saveTeamRecords([team])
    }

    /// A user's work phone: their own, or anyone's for a team lead or admin.
    public func setPhone(_ phone: String, for login: String? = nil) throws(StoreError) {
        let target = login.flatMap { l in users.values.first { $0.login == l } } ?? users[user.id] ?? user
        guard target.id == user.id || canManageUsers else { throw .notPermitted(action: "teamSettings") }
        var changed = target
        changed.phone = phone.isEmpty ? nil : phone
        try saveTeamRecords([changed])
    }


    public func userName(_ id: User.ID?) -> String {
        guard let id else { return "" }
        return users[id]?.displayName ?? id.raw
    }

    public var teamMembers: [User] {
        users.values.filter { $0.team == user.team && $0.active && $0.role != .admin }.sorted { $0.displayName < $1.displayName }
    }

    /// Every user with their role, whether active, and when they last unlocked the store
    /// (from the verified audit trail). Team leads and admins only.
    public func userList() throws(StoreError) -> [(user: User, lastUnlock: Int64?)] {
        guard canManageUsers else { throw .notPermitted(action: "listUsers") }
        var last: [String: Int64] = [:]
        for entry in try auditTrail().entries where entry.action == .unlock {
            last[entry.actor] = max(last[entry.actor] ?? 0, entry.atMillis)
        }
        return users.values.sorted { ($0.role.rawValue, $0.displayName) < ($1.role.rawValue, $1.displayName) }
            .map { ($0, last[$0.id.raw]) }
    }
}
