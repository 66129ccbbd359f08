import KithCore

/// What makes an entry of a log count: it is signed by the user it names as author, with
/// the key their record publishes, and that user had the right to make it. An entry that
/// fails is reported and not applied. Entries of a store from before identities carry no
/// signature and are read as before; in a store signed from the start (`trust.signedOnly`,
/// which the user's own slot records) an unsigned entry is refused too.
extension Store {
    /// The owner the team log's signatures are bound to.
    static let teamLogOwner = "team"

    /// Events this user wrote, as a payload for the log of `owner`: signed with their identity.
    func sealBatch(_ events: [Event], owner: String) -> [UInt8] {
        guard let identity else { return Event.encodeBatch(events) }
        return SignedBatch.seal(events, owner: owner, signer: user.id, identity: identity)
    }

    /// The order entries are judged and folded in: by the clock of their first event, then
    /// its id — the same on every laptop, whatever order a log received them in.
    static func canonicalOrder(_ a: [Event], _ b: [Event]) -> Bool {
        switch (a.first, b.first) {
        case let (x?, y?): (x.hlc, x.id) < (y.hlc, y.id)
        case (nil, _?): true
        default: false
        }
    }

    /// Why an entry of a family's log must not be applied, if it must not. `before` is the
    /// family as the entries before it left it (nil for its first entry): the signer must
    /// have been able to write to it then (see `AccessPolicy`); a printout or export only
    /// needs them to have been able to see it.
    ///
    /// Someone who worked with the family earlier (`formerly`) and was taken off it still
    /// writes what counts: a laptop that hadn't heard of the change yet can't be told from
    /// one that ignores it, and their work must not be lost. Reading names such entries
    /// (`writtenAfterRemoval`); they read nothing written after the change (a new key).
    func refusal(of entry: SignedBatch.Opened, family id: Family.ID, before: Family?, formerly: FamilyFold.Assignments = .init()) -> Refusal? {
        guard let signer = entry.signer else { return trust.signedOnly ? .unsigned : nil }
        guard let author = users[signer], let key = author.signingKey else { return .unknownSigner }
        if !entry.isSigned(by: key, owner: id.raw) {
            // A key they had before a reset counts for what is dated before it was replaced.
            guard let former = formerSigningKeys[signer]?.first(where: { entry.isSigned(by: $0.key, owner: id.raw) }) else { return .badSignature }
            if entry.events.contains(where: { $0.hlc > former.until }) { return .notPermitted }
        }
        guard entry.events.allSatisfy({ $0.author == signer }) else { return .notTheAuthor }
        // Judged by their role and the family's assignments, not by whether they are still
        // a user today: what someone wrote before they left stays theirs; nothing they
        // claim to have written after it counts.
        if let left = deactivatedAt[signer], entry.events.contains(where: { $0.hlc > left }) { return .notPermitted }
        var then = author
        then.active = true
        let policy = AccessPolicy(user: then)
        guard let family = before else { return policy.canCreateFamilies ? nil : .notPermitted }
        let outputOnly = entry.events.allSatisfy { $0.action == .print || $0.action == .export }
        guard outputOnly ? policy.canSee(family) : policy.canEdit(family) || formerly.couldEdit(then) else { return .notPermitted }
        // Supervision and sign-off decisions: a team lead's, whoever's laptop they came from.
        if policy.leadOnlyAction(in: entry.events, family: family) != nil { return .notPermitted }
        // Who leads and co-works the family: only those who may decide it (a co-worker
        // editing files can't make themselves lead).
        let ref = EntityRef(kind: .family, id: id.raw)
        let assignment: Set<String> = ["lead", "coworkers", "team"]
        let own = entry.events.filter { $0.entity == ref }
        guard own.contains(where: { !$0.topFields.isDisjoint(with: assignment) }) else { return nil }
        // Judged by what the entry asks for, whatever else was written beside it.
        guard let value = try? ValueEncoder().encode(family) else { return .notPermitted }
        let asked = FieldPath.applying(own.flatMap(\.changes), to: FieldPath.flatten(value))
        if let changed = try? ValueDecoder().decode(Family.self, from: FieldPath.unflatten(asked)),
           !policy.canReassign(from: family, to: changed) { return .notPermitted }
        return nil
    }

    /// Why an entry of the team log must not be applied, if it must not, given the users
    /// the entries before it made. Team leads and admins manage users and teams; anyone
    /// else may change only their own phone. The founding entry is signed by the key this
    /// user's slot pins; a user of a store from before identities publishes their first
    /// key in an entry that key signs.
    func teamRefusal(_ entry: SignedBatch.Opened) -> Refusal? {
        guard let signer = entry.signer else { return unsignedTeamEntries ? nil : .unsigned }
        guard entry.events.allSatisfy({ $0.author == signer }) else { return .notTheAuthor }
        let known = users[signer]
        let introduced = Store.signingKey(introducedBy: entry, for: signer)
        let founding = users.isEmpty
        let key: String
        if let published = known?.signingKey {
            key = published
        } else if let introduced, founding ? introduced == trust.root : (known != nil && !trust.signedOnly) {
            key = introduced
        } else {
            return .unknownSigner
        }
        guard entry.isSigned(by: key, owner: Store.teamLogOwner) else { return .badSignature }
        if founding { return nil }
        guard let known, known.active else { return .notPermitted }
        // A user's keys are set when they are added (or, once, by themselves), and replaced
        // only by a reset: a team lead or admin resets anyone's but their own, and only an
        // admin resets an admin's. Nobody else can swap someone's key for one they hold.
        let swapped = entry.events.compactMap { event -> User? in
            guard event.entity.kind == .user, let holder = users[User.ID(event.entity.id)], holder.signingKey != nil else { return nil }
            let swaps = event.changes.contains { change in
                (change.field == "signingKey" && change.new != holder.signingKey.map(Value.string))
                    || (change.field == "agreementKey" && change.new != holder.agreementKey.map(Value.string))
            }
            return swaps ? holder : nil
        }
        if known.role == .teamLead || known.role == .admin {
            let wrongly = swapped.contains { $0.id == signer || ($0.role == .admin && known.role != .admin) }
            return wrongly ? .notPermitted : nil
        }
        if !swapped.isEmpty { return .notPermitted }
        // Anyone else: their own record, and only their phone (or, once, their keys).
        let own = EntityRef(kind: .user, id: signer.raw)
        let allowed: Set<String> = known.signingKey == nil ? ["phone", "signingKey", "agreementKey"] : ["phone"]
        let permitted = entry.events.allSatisfy { event in
            event.entity == own && event.action == .update && event.changes.allSatisfy { allowed.contains($0.field) }
        }
        return permitted ? nil : .notPermitted
    }

    /// The signing key an entry sets in the record of `user`, if it sets one.
    private static func signingKey(introducedBy entry: SignedBatch.Opened, for user: User.ID) -> String? {
        let ref = EntityRef(kind: .user, id: user.raw)
        for event in entry.events.reversed() where event.entity == ref {
            if let change = event.changes.last(where: { $0.field == "signingKey" }), case .string(let key)? = change.new { return key }
        }
        return nil
    }
}

/// A family record folded from its log's entries one at a time, decoded only when asked
/// for after it changed (most entries don't touch it).
struct FamilyFold {
    /// Who has worked with the family at some point (lead or co-worker), and the teams it
    /// has been in (whose team leads could write to it).
    struct Assignments {
        var users: Set<User.ID> = []
        var teams: Set<Team.ID> = []

        func couldEdit(_ user: User) -> Bool {
            users.contains(user.id) || (user.role == .teamLead && teams.contains(user.team))
        }

        mutating func add(_ family: Family) {
            if let lead = family.lead { users.insert(lead) }
            users.formUnion(family.coworkers)
            teams.insert(family.team)
        }
    }

    let ref: EntityRef
    private(set) var formerly = Assignments()
    private var fold = RecordFold()
    private var folded = false
    private var decoded: Family?
    private var stale = false

    init(ref: EntityRef) { self.ref = ref }

    mutating func apply(_ events: [Event]) {
        for event in events where event.entity == ref && !event.changes.isEmpty {
            fold.apply(event)
            folded = true
            stale = true
        }
        if stale, let family = current { formerly.add(family) }
    }

    /// The family as folded so far (nil before its first entry).
    var current: Family? {
        mutating get {
            if stale, folded {
                decoded = try? ValueDecoder().decode(Family.self, from: fold.value)
                stale = false
            }
            return decoded
        }
    }
}
