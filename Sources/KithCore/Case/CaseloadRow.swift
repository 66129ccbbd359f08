/// One family as the caseload lists it: a compact summary kept in the store's index so the
/// caseload opens without reading every case file.
public struct CaseloadRow: Hashable, Sendable, Identifiable {
    public var familyID: Family.ID
    public var reference: String
    public var displayName: String
    public var serviceLevel: ServiceLevel
    public var status: FamilyStatus
    public var lead: User.ID?
    public var coworkers: [User.ID]
    public var team: Team.ID
    public var sensitive: Bool
    public var riskLevel: RiskLevel
    public var language: LanguagePreference
    /// Open due items (kind and date), earliest first.
    public var due: [DueItem]
    public var lastContact: Day?
    public var openFlags: Int
    public var search: SearchText
    /// Household members' folded names and dates of birth, for the duplicate check.
    public var members: [MemberKey]
    /// Household members' names and aliases as written, to say why a search found the
    /// family ("Llŷr Thomas", an alias) when its own name doesn't match.
    public var names: [FoundName] = []
    /// Every action of the family's plans, meetings and contact notes with whether it is
    /// done, so "my actions" lists them across families without opening any.
    public var actions: [ActionItem] = []
    /// Leaves of its records changed apart on two laptops and not yet settled.
    public var conflicts = 0
    /// The family's log is missing or unreadable (not kept in the index: found again at
    /// each start from the registry and the files present).
    public var damaged = false
    /// Opening, closures, steps between levels and assessment scores, for the team dashboard.
    public var history: CaseHistory
    /// Sign-off requests still to be answered, and those returned and not yet seen by
    /// whoever sent them: the lead's list and the worker's, without opening any family.
    public var signOffs: [SignOffMark] = []

    /// One open sign-off request, as the lists need it.
    public struct SignOffMark: Hashable, Sendable {
        public var id: SignOff.ID
        public var target: EntityRef
        public var requestedBy: User.ID
        public var requestedOn: Day
        public var state: SignOff.State
        public var decidedOn: Day?
        /// A proposed closure (the case closes when it is approved).
        public var closes: Bool

        public init(_ signOff: SignOff) {
            id = signOff.id
            target = signOff.target
            requestedBy = signOff.requestedBy
            requestedOn = signOff.requestedOn
            state = signOff.state
            decidedOn = signOff.decidedOn
            closes = signOff.proposedClosure != nil
        }

        init(id: SignOff.ID, target: EntityRef, requestedBy: User.ID, requestedOn: Day, state: SignOff.State, decidedOn: Day?, closes: Bool) {
            self.id = id
            self.target = target
            self.requestedBy = requestedBy
            self.requestedOn = requestedOn
            self.state = state
            self.decidedOn = decidedOn
            self.closes = closes
        }
    }

    public var id: Family.ID { familyID }

    public struct DueItem: Hashable, Sendable {
        public var kind: Reminder.Kind
        public var day: Day
        public init(kind: Reminder.Kind, day: Day) {
            self.kind = kind
            self.day = day
        }
    }

    public struct FoundName: Hashable, Sendable {
        public var text: String
        public var isAlias: Bool
        public init(text: String, isAlias: Bool) {
            self.text = text
            self.isAlias = isAlias
        }
    }

    /// Why `query` found this row, when not by the family's own name or reference: the
    /// member or alias that matches most of its words (nil when the family's name does).
    /// `soundsAlike` says the match is by sound, not spelling.
    public func matchReason(_ query: SearchQuery) -> (name: FoundName, soundsAlike: Bool)? {
        guard !query.isEmpty, query.rank(SearchText([displayName, reference])) == nil else { return nil }
        var best: (name: FoundName, words: Int, rank: Int)?
        for name in names {
            let text = SearchText([name.text])
            let matched = query.words.filter { SearchQuery(words: [$0]).rank(text) != nil }.count
            guard matched > 0 else { continue }
            let rank = query.rank(text) ?? 0
            if best == nil || (matched, rank) > (best!.words, best!.rank) { best = (name, matched, rank) }
        }
        guard let best else { return nil }
        let spelled = query.words.allSatisfy { word in SearchQuery(words: [word]).rank(SearchText([best.name.text, displayName, reference])) == 2 }
        return (best.name, !spelled)
    }

    public struct MemberKey: Hashable, Sendable {
        public var givenName: String
        public var familyName: String
        public var dateOfBirth: Day?
        public init(givenName: String, familyName: String, dateOfBirth: Day?) {
            self.givenName = givenName
            self.familyName = familyName
            self.dateOfBirth = dateOfBirth
        }
    }

    public init(familyID: Family.ID, reference: String, displayName: String, serviceLevel: ServiceLevel, status: FamilyStatus,
                lead: User.ID?, coworkers: [User.ID], team: Team.ID, sensitive: Bool, riskLevel: RiskLevel,
                language: LanguagePreference, due: [DueItem], lastContact: Day?, openFlags: Int, search: SearchText,
                members: [MemberKey]) {
        self.familyID = familyID
        self.reference = reference
        self.displayName = displayName
        self.serviceLevel = serviceLevel
        self.status = status
        self.lead = lead
        self.coworkers = coworkers
        self.team = team
        self.sensitive = sensitive
        self.riskLevel = riskLevel
        self.language = language
        self.due = due
        self.lastContact = lastContact
        self.openFlags = openFlags
        self.search = search
        self.members = members
        self.history = CaseHistory(openedOn: Day(ordinal: 0))
    }

    /// A row for a family known only by its id (its log is lost and the index has no row).
    public static func placeholder(for id: Family.ID, team: Team.ID) -> CaseloadRow {
        var row = CaseloadRow(familyID: id, reference: Family.reference(for: id), displayName: "", serviceLevel: .secondary, status: .active,
                              lead: nil, coworkers: [], team: team, sensitive: false, riskLevel: .medium, language: .english,
                              due: [], lastContact: nil, openFlags: 0, search: SearchText(words: [], sounds: []), members: [])
        row.damaged = true
        return row
    }

    /// Summarises a case file.
    public init(_ file: CaseFile) {
        let family = file.family
        let people = file.householdMembers
        var texts = [family.displayName, family.reference]
        for person in people {
            texts.append(person.givenName)
            texts.append(person.familyName)
            texts.append(contentsOf: person.aliases)
        }
        self.init(
            familyID: family.id, reference: family.reference, displayName: family.displayName,
            serviceLevel: family.serviceLevel, status: family.status, lead: family.lead, coworkers: family.coworkers,
            team: family.team, sensitive: family.sensitive, riskLevel: family.riskLevel, language: family.language,
            due: file.reminders.map { DueItem(kind: $0.kind, day: $0.due) },
            lastContact: file.lastContact, openFlags: file.openFlags.count, search: SearchText(texts),
            members: people.map { MemberKey(givenName: SearchKey.fold($0.givenName), familyName: SearchKey.fold($0.familyName), dateOfBirth: $0.dateOfBirth) })
        names = people.flatMap { person in
            [FoundName(text: "\(person.givenName) \(person.familyName)".trimmingCharacters(in: .whitespaces), isAlias: false)]
                + person.aliases.map { FoundName(text: $0, isAlias: true) }
        }
        actions = file.allActions
        conflicts = file.conflicts.count
        history = CaseHistory(file)
        signOffs = file.ordered(file.signOffs).filter { $0.isPending || $0.isReturnedUnseen }.map(SignOffMark.init)
    }

    public var nextDue: DueItem? { due.first }

    public func overdueCount(today: Day) -> Int { due.prefix { $0.day < today }.count }

    public func isOverdue(today: Day) -> Bool { (due.first?.day).map { $0 < today } ?? false }

    public func isDue(within days: Int, today: Day) -> Bool {
        (due.first?.day).map { $0 <= today.adding(days: days) } ?? false
    }

    /// Days since the last contact (nil when there has been none).
    public func daysSinceContact(today: Day) -> Int? { lastContact.map { $0.days(until: today) } }
}

extension CaseloadRow {
    /// Rows as the index holds them (2: with the family's actions; 3: and its conflicts;
    /// 4: and its history; 5: and its open sign-offs and referrals).
    static let binaryVersion: UInt8 = 5

    public func write(to w: inout BinaryWriter) {
        w.byte(CaseloadRow.binaryVersion)
        w.string(familyID.raw)
        w.string(reference)
        w.string(displayName)
        w.string(serviceLevel.rawValue)
        w.string(status.rawValue)
        w.optionalString(lead?.raw)
        w.uvarint(UInt64(coworkers.count))
        for c in coworkers { w.string(c.raw) }
        w.string(team.raw)
        w.bool(sensitive)
        w.string(riskLevel.rawValue)
        w.string(language.rawValue)
        w.uvarint(UInt64(due.count))
        for item in due {
            w.string(item.kind.rawValue)
            w.int(item.day.ordinal)
        }
        w.bool(lastContact != nil)
        if let lastContact { w.int(lastContact.ordinal) }
        w.int(openFlags)
        w.data(search.words)
        w.data(search.sounds)
        w.uvarint(UInt64(members.count))
        for m in members {
            w.string(m.givenName)
            w.string(m.familyName)
            w.bool(m.dateOfBirth != nil)
            if let dob = m.dateOfBirth { w.int(dob.ordinal) }
        }
        w.uvarint(UInt64(names.count))
        for name in names {
            w.string(name.text)
            w.bool(name.isAlias)
        }
        w.uvarint(UInt64(actions.count))
        for item in actions { item.write(to: &w, family: familyID) }
        w.uvarint(UInt64(conflicts))
        history.write(to: &w)
        w.uvarint(UInt64(signOffs.count))
        for mark in signOffs {
            w.string(mark.id.raw)
            w.string(mark.target.kind.rawValue)
            w.string(mark.target.id)
            w.string(mark.requestedBy.raw)
            w.int(mark.requestedOn.ordinal)
            w.string(mark.state.rawValue)
            w.bool(mark.decidedOn != nil)
            if let day = mark.decidedOn { w.int(day.ordinal) }
            w.bool(mark.closes)
        }
        w.uvarint(UInt64(history.referrals.count))
        for point in history.referrals {
            w.int(point.day.ordinal)
            w.string(point.decision.rawValue)
        }
    }

    public init(from r: inout BinaryReader) throws {
        let version = try r.byte()
        guard (2...CaseloadRow.binaryVersion).contains(version) else { throw BinaryError.malformed("row version") }
        func labelled<L: Labelled>(_ type: L.Type) throws -> L {
            guard let value = L(rawValue: try r.string()) else { throw BinaryError.malformed("\(L.labelPrefix)") }
            return value
        }
        familyID = Family.ID(try r.string())
        reference = try r.string()
        displayName = try r.string()
        serviceLevel = try labelled(ServiceLevel.self)
        status = try labelled(FamilyStatus.self)
        lead = try r.optionalString().map(User.ID.init)
        coworkers = try (0..<r.count()).map { _ in User.ID(try r.string()) }
        team = Team.ID(try r.string())
        sensitive = try r.bool()
        riskLevel = try labelled(RiskLevel.self)
        language = try labelled(LanguagePreference.self)
        due = try (0..<r.count()).map { _ in DueItem(kind: try labelled(Reminder.Kind.self), day: Day(ordinal: try r.int())) }
        lastContact = try r.bool() ? Day(ordinal: try r.int()) : nil
        openFlags = try r.int()
        search = SearchText(words: try r.data(), sounds: try r.data())
        members = try (0..<r.count()).map { _ in
            MemberKey(givenName: try r.string(), familyName: try r.string(), dateOfBirth: try r.bool() ? Day(ordinal: try r.int()) : nil)
        }
        names = try (0..<r.count()).map { _ in FoundName(text: try r.string(), isAlias: try r.bool()) }
        let family = familyID
        actions = try (0..<r.count()).map { _ in try ActionItem(from: &r, family: family) }
        conflicts = version >= 3 ? Int(clamping: try r.uvarint()) : 0
        history = version >= 4 ? try CaseHistory(from: &r) : CaseHistory(openedOn: Day(ordinal: 0))
        signOffs = version >= 5 ? try (0..<r.count()).map { _ in
            let id = SignOff.ID(try r.string())
            guard let kind = RecordKind(rawValue: try r.string()) else { throw BinaryError.malformed("sign-off target") }
            let target = EntityRef(kind: kind, id: try r.string())
            return SignOffMark(id: id, target: target, requestedBy: User.ID(try r.string()), requestedOn: Day(ordinal: try r.int()),
                               state: try labelled(SignOff.State.self), decidedOn: try r.bool() ? Day(ordinal: try r.int()) : nil, closes: try r.bool())
        } : []
        if version >= 5 {
            history.referrals = try (0..<r.count()).map { _ in
                CaseHistory.ReferralPoint(day: Day(ordinal: try r.int()), decision: try labelled(Referral.Decision.self))
            }
        }
    }
}

extension ActionItem {
    func write(to w: inout BinaryWriter, family: Family.ID) {
        w.string(source.kind.rawValue)
        w.string(source.id)
        w.string(action.id)
        w.string(action.what)
        w.string(action.who)
        w.string(action.whoChecks)
        w.bool(action.byWhen != nil)
        if let day = action.byWhen { w.int(day.ordinal) }
        w.bool(completion != nil)
        if let completion {
            w.string(completion.id.raw)
            w.string(completion.by.raw)
            w.int(completion.on.ordinal)
            w.optionalString(completion.reopenedBy?.raw)
            w.bool(completion.reopenedOn != nil)
            if let day = completion.reopenedOn { w.int(day.ordinal) }
        }
    }

    init(from r: inout BinaryReader, family: Family.ID) throws {
        guard let kind = RecordKind(rawValue: try r.string()) else { throw BinaryError.malformed("action source") }
        source = EntityRef(kind: kind, id: try r.string())
        action = PlanAction(id: try r.string(), what: try r.string(), who: try r.string(), byWhen: nil, whoChecks: try r.string())
        action.byWhen = try r.bool() ? Day(ordinal: try r.int()) : nil
        completion = nil
        if try r.bool() {
            completion = ActionCompletion(id: ActionCompletion.ID(try r.string()), familyID: family, source: source, actionID: action.id,
                                          by: User.ID(try r.string()), on: Day(ordinal: try r.int()),
                                          reopenedBy: try r.optionalString().map(User.ID.init),
                                          reopenedOn: try r.bool() ? Day(ordinal: try r.int()) : nil)
        }
    }
}

/// Possible duplicates of a new family: households whose members have similar names
/// (same folded name or phonetic key) and, where both are known, the same date of birth.
public struct DuplicateCheck: Sendable {
    public struct Candidate: Hashable, Sendable {
        public var familyID: Family.ID
        public var reference: String
        /// How many of the new members matched someone in that family.
        public var matches: Int
        public var sameDateOfBirth: Bool

        public init(familyID: Family.ID, reference: String, matches: Int, sameDateOfBirth: Bool) {
            self.familyID = familyID
            self.reference = reference
            self.matches = matches
            self.sameDateOfBirth = sameDateOfBirth
        }
    }

    public struct NewMember: Hashable, Sendable {
        public var givenName: String
        public var familyName: String
        public var dateOfBirth: Day?
        public init(givenName: String, familyName: String, dateOfBirth: Day?) {
            self.givenName = givenName
            self.familyName = familyName
            self.dateOfBirth = dateOfBirth
        }
    }

    /// Words of a family's name that say nothing about who they are (folded, as tokens are).
    public static let genericWords: Set<String> = ["family", "the", "and", "teulu", "y", "yr", "a", "ac"]

    public static func candidates(for members: [NewMember], familyName: String, in rows: [CaseloadRow], excluding: Family.ID? = nil) -> [Candidate] {
        let wanted = members.map { m in
            (given: SearchKey.fold(m.givenName), family: SearchKey.fold(m.familyName), dob: m.dateOfBirth)
        }
        // "Family", "Teulu" and the like name no one: matching on them would find every family.
        let familyTokens = Set(SearchKey.tokens(familyName).filter { !DuplicateCheck.genericWords.contains($0) }.map(SearchKey.phonetic))
        func similar(_ a: String, _ b: String) -> Bool {
            guard !a.isEmpty, !b.isEmpty else { return false }
            if a == b { return true }
            let ka = SearchKey.tokens(a).map(SearchKey.phonetic), kb = SearchKey.tokens(b).map(SearchKey.phonetic)
            return !ka.isEmpty && ka == kb
        }
        var result: [Candidate] = []
        for row in rows where row.familyID != excluding {
            var matches = 0
            var sameDOB = false
            for w in wanted {
                for m in row.members where similar(w.given, m.givenName) && (w.family.isEmpty || similar(w.family, m.familyName)) {
                    if let a = w.dob, let b = m.dateOfBirth {
                        if a == b { sameDOB = true; matches += 1 }
                    } else {
                        matches += 1
                    }
                    break
                }
            }
            if matches == 0, !familyTokens.isEmpty, wanted.isEmpty {
                let rowTokens = Set(SearchKey.tokens(row.displayName).filter { !DuplicateCheck.genericWords.contains($0) }.map(SearchKey.phonetic))
                if !rowTokens.isDisjoint(with: familyTokens) { matches = 1 }
            }
            if matches > 0 {
                result.append(Candidate(familyID: row.familyID, reference: row.reference, matches: matches, sameDateOfBirth: sameDOB))
            }
        }
        return result.sorted { ($0.sameDateOfBirth ? 1 : 0, $0.matches) > ($1.sameDateOfBirth ? 1 : 0, $1.matches) }
    }
}
