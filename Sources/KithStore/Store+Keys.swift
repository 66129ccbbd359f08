import Crypto
import KithCore

/// One family key this user opened: the key, and who sealed it to them.
struct HeldKey {
    var key: SymmetricKey
    var granter: User.ID
}

/// Keys per family (schema 4): who holds what is decided by the access policy, and
/// enforced by who was given the key.
///
/// - A family's first key is made with it and sealed to everyone who may read it: its
///   lead, co-workers and the team leads of its team (admins never).
/// - Whoever writes to a family first settles its keys against the policy as it now is:
///   someone newly entitled (a co-worker added, a new team lead) is given every epoch the
///   writer holds; when someone who holds the current epoch may no longer read (deactivated,
///   reassigned away), a new epoch is made for everyone still entitled and used from then
///   on. The person who left keeps only what was written before.
/// - A key is written with only when it is already in use in the family's log or was
///   sealed by someone who may edit the family now, so a key slipped into `grants.log` by
///   someone else can't make a reader write what its maker could then read.
extension Store {
    /// Whether this store seals family entries with per-family keys.
    var familyKeysOn: Bool { manifest.schema >= 4 }

    /// Reads `grants.log` (both copies); a store that has none yet starts it.
    func loadGrants() throws(StoreError) {
        grants = [:]
        familyKeys = [:]
        if !io.exists(layout.grants) && !io.exists(layout.grants + ".2") {
            guard !isBeside else { return }
            try grantsLog.create([], io: io, keyring: keyring)
            return
        }
        let (payloads, findings) = try grantsLog.load(io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
        report(findings, file: "grants.log")
        for payload in payloads {
            guard let batch = try? KeyGrant.decode(payload) else {
                note(StoreProblem(.corruptEntriesSetAside, file: "grants.log", detail: "1 entries"))
                continue
            }
            for grant in batch { grants[grant.family, default: []].append(grant) }
        }
    }

    /// Whether any key of the family was sealed to this user (nothing is opened to know).
    func holdsKey(_ id: Family.ID) -> Bool {
        grants[id]?.contains { $0.isTo(user) } == true
    }

    /// The keys this user holds for one epoch of a family (normally one), opened once.
    func keys(_ id: Family.ID, epoch: Int) -> [HeldKey] {
        if let held = familyKeys[id]?[epoch] { return held }
        guard let identity else { return [] }
        var held: [HeldKey] = []
        for grant in grants[id] ?? [] where grant.epoch == epoch && grant.isTo(user) {
            guard let granterKey = users[grant.granter]?.agreementKey,
                  let key = grant.open(with: identity, granterKey: granterKey, storeID: manifest.storeID) else { continue }
            held.append(HeldKey(key: key, granter: grant.granter))
        }
        familyKeys[id, default: [:]][epoch] = held
        return held
    }

    /// The epochs of a family this user can open, newest first.
    func heldEpochs(_ id: Family.ID) -> [Int] {
        Set((grants[id] ?? []).filter { $0.isTo(user) }.map(\.epoch)).sorted(by: >).filter { !keys(id, epoch: $0).isEmpty }
    }

    /// Everyone who may read the family now and can be given a key.
    func entitled(to family: Family) -> [User] {
        users.values.filter { $0.agreementKey != nil && AccessPolicy(user: $0).canSee(family) }.sorted { $0.id < $1.id }
    }

    /// A family entry's signed batch, opened with this user's key for its epoch.
    func openEntry(_ payload: [UInt8], family id: Family.ID) -> (batch: [UInt8], epoch: Int)? {
        guard let epoch = FamilyEntry.epoch(of: payload) else { return nil }
        for held in keys(id, epoch: epoch) {
            if let batch = FamilyEntry.open(payload, key: held.key, family: id, storeID: manifest.storeID) { return (batch, epoch) }
        }
        return nil
    }

    /// Seals `key` to each user as this user.
    func seal(_ key: SymmetricKey, family id: Family.ID, epoch: Int, to recipients: [User]) -> [KeyGrant] {
        guard let identity else { return [] }
        return recipients.compactMap { recipient in
            recipient.agreementKey.flatMap {
                KeyGrant.make(key, family: id, epoch: epoch, to: recipient.id, recipientKey: $0, granter: user.id, identity: identity,
                              storeID: manifest.storeID)
            }
        }
    }

    /// Appends grants to `grants.log` (both copies, durable) before any key in them is used.
    func appendGrants(_ new: [KeyGrant]) throws(StoreError) {
        guard !new.isEmpty else { return }
        try grantsLog.append(KeyGrant.encode(new), io: io, keyring: keyring) { path throws(StoreError) in try setAsideCopy(path) }
        for grant in new { grants[grant.family, default: []].append(grant) }
    }

    /// A new family's first key: sealed to everyone entitled (durably) and held by this user.
    func firstKey(for family: Family) -> (grants: [KeyGrant], key: SymmetricKey) {
        let key = SymmetricKey(size: .bits256)
        familyKeys[family.id, default: [:]][0] = [HeldKey(key: key, granter: user.id)]
        return (seal(key, family: family.id, epoch: 0, to: entitled(to: family)), key)
    }

    /// Brings a family's keys in line with who may read it now (see the type's comment) and
    /// returns the epoch and key to write with. `used`: epochs the log has entries in.
    @discardableResult
    func settleKeys(_ id: Family.ID, family: Family, used: Set<Int>) throws(StoreError) -> (epoch: Int, key: SymmetricKey) {
        let all = grants[id] ?? []
        var chosen: (epoch: Int, key: SymmetricKey)?
        for epoch in heldEpochs(id) {
            let held = keys(id, epoch: epoch)
            if used.contains(epoch), let first = held.first { chosen = (epoch, first.key); break }
            if let good = held.first(where: { $0.granter == user.id || mayEdit($0.granter, family) }) { chosen = (epoch, good.key); break }
        }
        guard var (epoch, key) = chosen else { throw .accessDenied(family: id.raw) }
        // Beside a running Kith nothing but the outbox is written: that session settles them.
        if isBeside { return (epoch, key) }
        let entitled = entitled(to: family)
        let entitledIDs = Set(entitled.map(\.id))
        var new: [KeyGrant] = []
        if all.contains(where: { grant in grant.epoch == epoch && !entitled.contains { grant.isTo($0) } }) {
            // Someone holding the current key may no longer read (or holds it with a key of
            // theirs that was reset): a new epoch for the rest.
            epoch = (all.map(\.epoch).max() ?? epoch) + 1
            key = SymmetricKey(size: .bits256)
            new += seal(key, family: id, epoch: epoch, to: entitled)
        }
        // Everyone entitled holds every epoch this user holds (history included).
        for older in heldEpochs(id) {
            guard let held = keys(id, epoch: older).first else { continue }
            let missing = entitled.filter { person in !all.contains { $0.epoch == older && $0.isTo(person) } }
            new += seal(held.key, family: id, epoch: older, to: missing)
        }
        let rotated = chosen?.epoch != epoch
        try appendGrants(new)
        if rotated && entitledIDs.contains(user.id) { familyKeys[id, default: [:]][epoch] = [HeldKey(key: key, granter: user.id)] }
        return (epoch, key)
    }

    /// Whether `granter` may edit the family now (an active user the policy lets write).
    private func mayEdit(_ granter: User.ID, _ family: Family) -> Bool {
        guard let person = users[granter] else { return false }
        return AccessPolicy(user: person).canEdit(family)
    }

    /// At unlock: everyone entitled to a family this user holds keys for is given them,
    /// so a team lead added by an admin (who holds no keys) or a user who only now has an
    /// identity can read. Only families missing someone are touched; best effort.
    func grantMissing() {
        guard familyKeysOn, identity != nil, !isBeside else { return }
        refreshStaleRows()
        // Who could be given keys, each with the fingerprint of their current key.
        let candidates = users.values.filter { $0.agreementKey != nil && $0.active }.sorted { $0.id < $1.id }
            .map { (person: $0, tag: KeyGrant.tag($0.agreementKey)) }
        var new: [KeyGrant] = []
        for (id, entry) in index where damaged[id] == nil {
            let row = entry.row
            let all = grants[id] ?? []
            let wanting = candidates.filter { candidate in
                AccessPolicy(user: candidate.person).canSee(row)
                    && !all.contains { $0.recipient == candidate.person.id && ($0.recipientKey.isEmpty || $0.recipientKey == candidate.tag) }
            }.map(\.person)
            guard !wanting.isEmpty, let file = try? cached(id).file, AccessPolicy(user: user).canEdit(file.family) else { continue }
            for epoch in heldEpochs(id) {
                guard let held = keys(id, epoch: epoch).first else { continue }
                new += seal(held.key, family: id, epoch: epoch, to: wanting)
            }
        }
        _ = try? appendGrants(new)
    }

    /// After `leaving` was deactivated or reset: every family this user may write to and
    /// `leaving` holds the newest key of moves to a new epoch now, sealed to everyone entitled
    /// (their current keys), with every older epoch for anyone entitled whose current key
    /// lacks it (after a reset). Who is entitled comes from this user's index rows (kept
    /// exact at every save), so no family is read. All the grants go in one durable write.
    /// Families this user can't write to move at their next write by someone who can (see
    /// `settleKeys`). Returns how many moved.
    @discardableResult
    func rotateKeys(awayFrom leaving: User.ID) -> Int {
        guard familyKeysOn, identity != nil, !isBeside else { return 0 }
        refreshStaleRows()
        let candidates = users.values.filter { $0.agreementKey != nil && $0.active }.sorted { $0.id < $1.id }
        let policy = self.policy
        var new: [KeyGrant] = []
        var mine: [(Family.ID, Int, SymmetricKey)] = []
        for (id, all) in grants where all.contains(where: { $0.recipient == leaving }) {
            guard let latest = all.map(\.epoch).max(), all.contains(where: { $0.epoch == latest && $0.recipient == leaving }),
                  let row = index[id]?.row, damaged[id] == nil, policy.canSee(row), holdsKey(id) else { continue }
            let entitled = candidates.filter { AccessPolicy(user: $0).canSee(row) }
            let key = SymmetricKey(size: .bits256)
            new += seal(key, family: id, epoch: latest + 1, to: entitled)
            for epoch in Set(all.map(\.epoch)).sorted() {
                let lacking = entitled.filter { person in !all.contains { $0.epoch == epoch && $0.isTo(person) } }
                guard !lacking.isEmpty, let held = keys(id, epoch: epoch).first else { continue }
                new += seal(held.key, family: id, epoch: epoch, to: lacking)
            }
            if entitled.contains(where: { $0.id == user.id }) { mine.append((id, latest + 1, key)) }
        }
        guard (try? appendGrants(new)) != nil else { return 0 }
        for (id, epoch, key) in mine { familyKeys[id, default: [:]][epoch] = [HeldKey(key: key, granter: user.id)] }
        return Set(new.map(\.family)).count
    }
}
