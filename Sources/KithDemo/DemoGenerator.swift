import KithCore

/// Builds synthetic case files with the variety a real caseload has: six language
/// backgrounds, children of every age, assessments, plans, safety plans, meetings, notes,
/// reviews (some overdue), flags and closures. Same seed and day, same data.
public struct DemoGenerator {
    public struct Staff: Sendable {
        public var lead: User.ID
        public var workers: [User.ID]
        public var team: Team.ID
        public init(lead: User.ID, workers: [User.ID], team: Team.ID) {
            self.lead = lead
            self.workers = workers
            self.team = team
        }
    }

    public struct GeneratedFamily: Sendable {
        public var id: Family.ID
        public var changes: [ImportedChangeValue]
    }

    /// One save in a family's history (the store turns it into events).
    public struct ImportedChangeValue: Sendable {
        public var author: User.ID
        public var day: Day
        public var records: [any FamilyScoped]
    }

    var rng: SeededGenerator
    let today: Day
    let staff: Staff
    let instruments: [String: Instrument]

    public init(seed: UInt64, today: Day, staff: Staff) {
        rng = SeededGenerator(seed: seed)
        self.today = today
        self.staff = staff
        instruments = Dictionary(uniqueKeysWithValues: InstrumentLoader.shipped.map { ($0.id, $0) })
    }

    public mutating func families(_ count: Int) -> [GeneratedFamily] {
        (0..<count).map { _ in family() }
    }

    // MARK: - One family

    mutating func family() -> GeneratedFamily {
        let origin = rng.weighted([(DemoNames.Origin.welsh, 40), (.english, 30), (.polish, 10), (.romanian, 7), (.arabic, 7), (.somali, 6)])
        let pool = DemoNames.pool(origin)
        let surname = rng.pick(pool.surnames)
        let id: Family.ID = rng.id()
        let lead = rng.pick(staff.workers)
        let opened = today.adding(days: -rng.int(20...900))
        let level = rng.weighted([(ServiceLevel.primary, 25), (.secondary, 55), (.tertiary, 20)])
        let welshLanguage = origin == .welsh && rng.chance(0.7)
        var language: LanguagePreference = welshLanguage ? .welsh : .english
        var otherLanguage: String?
        let otherNames: [DemoNames.Origin: String] = [.polish: "Polish", .romanian: "Romanian", .arabic: "Arabic", .somali: "Somali"]
        if let name = otherNames[origin], rng.chance(0.45) {
            language = .other
            otherLanguage = name
        }
        var family = Family(
            id: id, reference: Family.reference(for: id),
            displayName: welshLanguage ? "Teulu \(surname)" : "\(surname) family",
            address: "\(rng.int(1...88)) \(rng.pick(DemoNames.streets))", area: rng.pick(DemoNames.areas),
            serviceLevel: level, status: .active, lead: lead,
            coworkers: rng.chance(0.2) ? [rng.pick(staff.workers.filter { $0 != lead })] : [],
            team: staff.team, language: language, otherLanguage: otherLanguage,
            interpreterNeeded: language == .other && rng.chance(0.5),
            activeOffer: (origin == .welsh || rng.chance(0.6)) ? ActiveOffer(on: opened, by: lead) : nil,
            riskLevel: level == .tertiary ? rng.pick([.medium, .high]) : level == .secondary ? rng.pick([.low, .medium, .medium]) : .low,
            sensitive: rng.chance(0.05), openedOn: opened)
        let firstLevel = level == .primary || !rng.chance(0.3) ? level : (level == .tertiary ? ServiceLevel.secondary : .primary)
        family.serviceLevelHistory = [ServiceLevelChange(level: firstLevel, from: opened, by: lead, reason: nil)]
        if firstLevel != level {
            family.serviceLevelHistory.append(ServiceLevelChange(level: level, from: opened.adding(days: rng.int(10...max(11, opened.days(until: today)))), by: lead, reason: nil))
        }

        var changes: [ImportedChangeValue] = []
        var opening: [any FamilyScoped] = []
        let people = household(family: id, origin: origin, pool: pool, surname: surname, welsh: welshLanguage)
        opening += people
        opening += network(family: id, origin: origin, pool: pool, surname: surname, welsh: welshLanguage)
        let agencies = professionals(family: id)
        opening += agencies
        // Consent from the first adult, to share with the agencies already involved.
        opening.append(Consent(id: rng.id(), familyID: id, scope: .support, personID: people.first?.id, givenBy: people.first?.fullName ?? "",
                               givenOn: opened, method: .written))
        if rng.chance(0.8) {
            opening.append(Consent(id: rng.id(), familyID: id, scope: .informationSharing, personID: people.first?.id, givenBy: people.first?.fullName ?? "",
                                   givenOn: opened, method: rng.pick([.written, .verbal]),
                                   agencies: Array(Set(agencies.map(\.agency))).sorted().joined(separator: ", "),
                                   withdrawnOn: rng.chance(0.05) ? opened.adding(days: 30) : nil))
        }
        opening += riskFactors(family: id, origin: origin, on: opened, welsh: welshLanguage)
        changes.append(ImportedChangeValue(author: lead, day: opened, records: [family] + opening))

        let children = people.filter(\.isChild)
        let active = rng.chance(0.9)
        let day = opened.adding(days: rng.int(3...14))
        var assessments: [Assessment] = []
        var notesMade = 0
        let notesWanted = rng.int(2...6)
        var plan: Plan?
        var reviews = 0

        // Initial assessment, then a support plan from its concerns.
        if let sn = instruments["kith.strengths-needs"], day < today {
            let initial = assessment(sn, family: id, on: day, kind: .initial, previous: nil, subjects: children.map(\.id), author: lead, complete: true, welsh: welshLanguage)
            assessments.append(initial)
            changes.append(ImportedChangeValue(author: lead, day: day, records: [initial]))
            // The current plan was made recently (plans are remade as they are reviewed).
            let planDay = max(day.adding(days: 7), today.adding(days: -rng.int(20...120)))
            let madePlan = supportPlan(family: id, from: initial, instrument: sn, on: planDay, welsh: welshLanguage)
            plan = madePlan
            changes.append(ImportedChangeValue(author: lead, day: planDay, records: [madePlan]))
        }

        // Reviews every few months since the family was opened; the latest ones come with
        // assessments, and the next review is mostly still ahead (some have slipped).
        var reviewDays: [Day] = []
        var reviewDay = opened.adding(days: rng.int(80...110))
        while reviewDay < today.adding(days: -7) {
            reviewDays.append(reviewDay)
            reviewDay = reviewDay.adding(days: rng.int(80...120))
        }
        for (n, day) in reviewDays.enumerated() {
            let isLast = n == reviewDays.count - 1
            var records: [any FamilyScoped] = []
            if n >= reviewDays.count - 3, let sn = instruments["kith.strengths-needs"] {
                let review = assessment(sn, family: id, on: day, kind: .review, previous: assessments.last, subjects: children.map(\.id), author: lead, complete: true,
                                        welsh: welshLanguage)
                assessments.append(review)
                records.append(review)
                if let outcomes = instruments["kith.outcomes"] {
                    records.append(assessment(outcomes, family: id, on: day, kind: .review, previous: nil, subjects: children.map(\.id), author: lead, complete: true,
                                              welsh: welshLanguage))
                }
            }
            let decision: Review.Decision = rng.weighted([(.continue, 6), (.revisePlan, 2), (.stepDown, 1), (.stepUp, 1)])
            let next = isLast ? today.adding(days: rng.weighted([(rng.int(-30...(-1)), 2), (rng.int(0...7), 2), (rng.int(8...70), 8)]))
                              : reviewDays[n + 1]
            records.append(Review(id: rng.id(), familyID: id, date: day, outcomeNote: say(DemoText.review.outcome, welsh: welshLanguage),
                                  decision: decision, notes: say(DemoText.review.notes, welsh: welshLanguage), nextReviewDate: next))
            changes.append(ImportedChangeValue(author: lead, day: day, records: records))
            reviews += 1
        }
        // Contact notes spread over the work, the latest usually recent (some families
        // have gone quiet, which the "no contact" filter should find).
        let quiet = rng.chance(0.12)
        let latest = today.adding(days: -(quiet ? rng.int(35...120) : rng.int(1...28)))
        var noteDays: [Day] = [max(opened, latest)]
        let span = max(1, opened.days(until: latest))
        for _ in 1..<notesWanted { noteDays.append(opened.adding(days: rng.int(0...span))) }
        for noteDay in noteDays.sorted() where noteDay <= today {
            changes.append(ImportedChangeValue(author: lead, day: noteDay, records: [note(family: id, on: noteDay, people: people, welsh: welshLanguage)]))
            notesMade += 1
        }
        changes.sort { $0.day < $1.day }

        // Safety plans for families with worries.
        if level == .tertiary || family.riskLevel == .high || rng.chance(0.12) {
            changes += safetyPlans(family: id, people: people, opened: opened, author: lead, welsh: welshLanguage)
        }
        // Family Group Meetings.
        if level != .primary && rng.chance(0.3) {
            let on = opened.adding(days: rng.int(20...max(21, opened.days(until: today))))
            if on < today {
                changes.append(ImportedChangeValue(author: lead, day: on, records: [meeting(family: id, on: on, people: people, welsh: welshLanguage)]))
            }
        }
        // Most actions that were due a while ago are done; recent ones sometimes.
        var done: [any FamilyScoped] = []
        for change in changes {
            for record in change.records {
                var sources: [(EntityRef, [PlanAction])] = []
                if let plan = record as? Plan { sources.append((plan.ref, plan.goals.flatMap(\.actions))) }
                if let note = record as? ContactNote { sources.append((note.ref, note.followUps)) }
                if let meeting = record as? FamilyGroupMeeting { sources.append((meeting.ref, meeting.familyPlan)) }
                for (source, actions) in sources {
                    for action in actions {
                        guard let due = action.byWhen, due < today else { continue }
                        guard rng.chance(due < today.adding(days: -60) ? 0.97 : due < today.adding(days: -14) ? 0.9 : 0.4) else { continue }
                        done.append(ActionCompletion(id: rng.id(), familyID: id, source: source, actionID: action.id, by: lead, on: min(due, today)))
                    }
                }
            }
        }
        if !done.isEmpty { changes.append(ImportedChangeValue(author: lead, day: today.adding(days: -1), records: done)) }

        // A draft assessment in progress for some families.
        if active && rng.chance(0.15), let sn = instruments["kith.strengths-needs"] {
            let draft = assessment(sn, family: id, on: today.adding(days: -rng.int(0...5)), kind: .review, previous: assessments.last,
                                   subjects: children.map(\.id), author: lead, complete: false, welsh: welshLanguage)
            changes.append(ImportedChangeValue(author: lead, day: draft.date, records: [draft]))
        }
        // A flag from the team lead now and then.
        if rng.chance(0.1) {
            let resolved = rng.chance(0.4)
            let raised = today.adding(days: -rng.int(1...20))
            var flag = Flag(id: rng.id(), familyID: id, target: family.ref, note: rng.pick(DemoText.flags), raisedBy: staff.lead, raisedOn: raised)
            changes.append(ImportedChangeValue(author: staff.lead, day: raised, records: [flag]))
            if resolved {
                flag.resolvedBy = lead
                flag.resolvedOn = raised.adding(days: 2)
                flag.response = "Done: updated the plan."
                changes.append(ImportedChangeValue(author: lead, day: raised.adding(days: 2), records: [flag]))
            }
        }
        // Some families are closed, some paused or just referred.
        if !active {
            let closedOn = today.adding(days: -rng.int(1...60))
            var closed = family
            closed.status = .closed
            let reason: Closure.Reason = rng.weighted([(.goalsMet, 5), (.familyDeclined, 1), (.movedAway, 1), (.steppedUpToStatutory, 1)])
            changes.append(ImportedChangeValue(author: lead, day: closedOn, records: [closed, Closure(id: rng.id(), familyID: id, date: closedOn, reason: reason, note: "")]))
        } else if rng.chance(0.06) {
            var changed = family
            changed.status = rng.pick([.paused, .referred])
            changes.append(ImportedChangeValue(author: lead, day: today.adding(days: -3), records: [changed]))
        }
        return GeneratedFamily(id: id, changes: changes)
    }

    // MARK: - Pieces

    mutating func household(family: Family.ID, origin: DemoNames.Origin, pool: DemoNames.Pool, surname: String, welsh: Bool) -> [Person] {
        var people: [Person] = []
        var used: Set<String> = []
        func person(_ role: PersonRole, female: Bool, age: Int, school: Bool = false) -> Person {
            // No two members of a household share a given name.
            let names = (female ? pool.female : pool.male).filter { !used.contains($0) }
            let given = rng.pick(names.isEmpty ? (female ? pool.female : pool.male) : names)
            used.insert(given)
            var aliases: [String] = []
            if let script = pool.script[given] { aliases.append(script) }
            if let script = pool.script[surname], rng.chance(0.5) { aliases.append(script) }
            let born = today.adding(days: -(age * 365 + rng.int(0...364)))
            return Person(id: rng.id(), familyID: family, role: role, givenName: given,
                          familyName: DemoNames.surname(surname, female: female, origin: origin), aliases: aliases,
                          dateOfBirth: rng.chance(0.95) ? born : nil, estimatedAge: nil,
                          school: school ? rng.pick(DemoNames.schools) : nil,
                          disability: rng.chance(0.08) ? pick(DemoText.disabilities, welsh: welsh) : nil,
                          communicationNeeds: rng.chance(0.06) ? pick(DemoText.communication, welsh: welsh) : nil)
        }
        let motherAge = rng.int(17...45)
        people.append(person(.parent, female: true, age: motherAge))
        if rng.chance(0.55) { people.append(person(.parent, female: false, age: max(18, motherAge + rng.int(-3...8)))) }
        if rng.chance(0.1) { people.append(person(.carer, female: rng.chance(0.7), age: motherAge + rng.int(20...30))) }
        let childCount = rng.weighted([(1, 35), (2, 35), (3, 20), (4, 10)])
        for _ in 0..<childCount {
            let age = rng.int(0...min(17, max(0, motherAge - 16)))
            people.append(person(.child, female: rng.chance(0.5), age: age, school: age >= 3))
        }
        if rng.chance(0.12) { people.append(person(.sibling, female: rng.chance(0.5), age: rng.int(18...22))) }
        return people
    }

    mutating func network(family: Family.ID, origin: DemoNames.Origin, pool: DemoNames.Pool, surname: String, welsh: Bool) -> [NetworkMember] {
        let welshWords = origin == .welsh
        // Who each one is decides their name: a Nain is a woman, a Taid a man.
        let kin: [(String, NetworkMember.Relationship, female: Bool?)] = [
            (welshWords ? "Nain" : "Nan", .grandparent, true), (welshWords ? "Taid" : "Grandad", .grandparent, false),
            ("Aunt", .auntOrUncle, true), ("Uncle", .auntOrUncle, false), ("Neighbour", .neighbour, nil), ("Friend", .friend, nil), ("Cousin", .cousin, nil),
        ]
        return (0..<rng.int(1...4)).map { _ in
            let (title, relationship, female) = rng.pick(kin)
            let given = rng.pick(female ?? rng.chance(0.5) ? pool.female : pool.male)
            let name = relationship == .grandparent ? "\(title) \(given)" : "\(given) \(relationship == .neighbour || relationship == .friend ? rng.pick(pool.surnames) : surname)"
            return NetworkMember(id: rng.id(), familyID: family, name: name, relationship: relationship,
                                 phone: DemoGenerator.mobile(rng.int(0...999)),
                                 roleInPlans: rng.chance(0.6) ? pick(DemoText.networkRoles, welsh: welsh) : nil)
        }
    }

    /// One of the phrases, in the family's language.
    mutating func pick(_ phrases: [DemoText.Both], welsh: Bool) -> String { say(rng.pick(phrases), welsh: welsh) }
    func say(_ phrase: DemoText.Both, welsh: Bool) -> String { welsh ? phrase.cy : phrase.en }

    /// Numbers only from Ofcom's ranges kept for drama (07700 900000–900999 and
    /// 01632 960000–960999), so no demo number can ring a real person.
    static func mobile(_ n: Int) -> String { "07700 900" + three(n) }
    static func landline(_ n: Int) -> String { "01632 960" + three(n) }
    private static func three(_ n: Int) -> String {
        let digits = String(n % 1000)
        return String(repeating: "0", count: 3 - digits.count) + digits
    }

    mutating func professionals(family: Family.ID) -> [Professional] {
        (0..<rng.int(1...3)).map { _ in
            let (agency, role) = rng.pick(DemoNames.agencies)
            return Professional(id: rng.id(), familyID: family, name: rng.pick(DemoNames.professionalNames), agency: agency, role: role,
                                phone: DemoGenerator.landline(rng.int(0...999)))
        }
    }

    mutating func riskFactors(family: Family.ID, origin: DemoNames.Origin, on day: Day, welsh: Bool) -> [RiskFactorObservation] {
        var codes = Set<RiskFactor>()
        for _ in 0..<rng.int(1...4) { codes.insert(rng.pick(RiskFactor.allCases)) }
        if origin != .welsh && origin != .english && rng.chance(0.6) { codes.insert(.migrantOrMinority) }
        return codes.sorted { $0.rawValue < $1.rawValue }.map { code in
            RiskFactorObservation(id: rng.id(), familyID: family, code: code.rawValue,
                                  status: rng.weighted([(.present, 6), (.past, 2), (.unknown, 1)]),
                                  evidence: pick(DemoText.evidence, welsh: welsh), observedOn: day)
        }
    }

    mutating func assessment(_ instrument: Instrument, family: Family.ID, on day: Day, kind: Assessment.Kind, previous: Assessment?,
                             subjects: [Person.ID], author: User.ID, complete: Bool, welsh: Bool) -> Assessment {
        var ratings: [String: ItemRating] = [:]
        for key in instrument.ratingKeys {
            let item = instrument.items.first { key == $0.id || key.hasPrefix($0.id + "@") }!
            let scale = instrument.scale(for: item)
            if scale.kind == .narrative {
                ratings[key] = ItemRating(rating: .notRated, evidence: pick(DemoText.evidence, welsh: welsh))
                continue
            }
            if !complete && rng.chance(0.5) { continue }
            var value = rng.pick(scale.values)
            if let before = previous?.rating(key).value, let i = scale.values.firstIndex(of: before) {
                // Ratings drift a step at a time, more often towards better.
                let step = rng.weighted([(0, 5), (scale.higherIsBetter ? 1 : -1, 3), (scale.higherIsBetter ? -1 : 1, 1)])
                value = scale.values[min(max(0, i + step), scale.values.count - 1)]
            }
            ratings[key] = ItemRating(rating: rng.chance(0.03) ? .unknown : .value(value), evidence: rng.chance(0.4) ? pick(DemoText.evidence, welsh: welsh) : "")
        }
        return Assessment(id: rng.id(), familyID: family, instrumentID: instrument.id, instrumentVersion: instrument.version,
                          assessmentKind: kind, date: day, subjects: subjects, participants: pick(DemoText.participants, welsh: welsh),
                          ratings: ratings, familyView: pick(DemoText.familyViews, welsh: welsh), childVoice: pick(DemoText.childVoices, welsh: welsh),
                          summary: complete ? pick(DemoText.summaries, welsh: welsh) : "", state: complete ? .complete : .draft,
                          completedOn: complete ? day : nil, completedBy: complete ? author : nil)
    }

    mutating func supportPlan(family: Family.ID, from assessment: Assessment, instrument: Instrument, on day: Day, welsh: Bool) -> Plan {
        let summary = AssessmentSummary(instrument: instrument, assessment: assessment)
        let concernDomains = summary.domains.filter { $0.band == .concern || $0.band == .middle }.map(\.domainID)
        let domains = concernDomains.isEmpty ? [instrument.domains[0].id] : Array(concernDomains.prefix(3))
        var goals: [Goal] = []
        var left = DemoText.goalPlans
        for (n, domain) in domains.enumerated() {
            // Each goal with actions that serve it, in the family's language.
            let plan = left.remove(at: rng.int(0...(left.count - 1)))
            let actions = (0..<rng.int(1...min(3, plan.actions.count))).map { m in
                PlanAction(id: "a\(n)\(m)", what: welsh ? plan.actions[m].cy : plan.actions[m].en, who: rng.pick(welsh ? DemoText.whoWelsh : DemoText.who),
                           byWhen: day.adding(days: rng.int(14...150)), whoChecks: rng.pick(welsh ? DemoText.checksWelsh : DemoText.checksEnglish))
            }
            goals.append(Goal(id: "g\(n)", text: welsh ? plan.goal.cy : plan.goal.en, linkedDomain: "\(instrument.id)/\(domain)", status: .inProgress, actions: actions))
        }
        return Plan(id: rng.id(), familyID: family, title: welsh ? "Cynllun ein teulu" : "Our family plan", goals: goals, status: .active, createdOn: day,
                    reviewDate: day.adding(days: 90))
    }

    mutating func safetyPlans(family: Family.ID, people: [Person], opened: Day, author: User.ID, welsh: Bool) -> [ImportedChangeValue] {
        let firstDay = opened.adding(days: rng.int(1...10))
        guard firstDay < today else { return [] }
        let child = people.first(where: \.isChild)?.givenName ?? (welsh ? "y plant" : "the children")
        // Written in the family's language, throughout.
        let t: (String, String) -> String = { en, cy in welsh ? cy : en }
        var plan = SafetyPlan(
            id: rng.id(), familyID: family, immediate: rng.chance(0.4),
            worries: [WorryStatement(who: t("School and the worker", "Yr ysgol a'r gweithiwr"),
                                     about: t("\(child) arriving hungry and upset after nights of arguing at home",
                                              "\(child) yn cyrraedd yn llwglyd ac yn ofidus ar ôl nosweithiau o ffraeo gartref"),
                                     ifNothingChanges: t("\(child) may be hurt or keep missing school", "gallai \(child) gael niwed neu barhau i golli ysgol"),
                                     safetyGoal: t("\(child) is safe at home and someone checks in every evening",
                                                   "mae \(child) yn ddiogel gartref ac mae rhywun yn cysylltu bob nos"))],
            judgements: [SafetyJudgement(who: t("Worker", "Gweithiwr"), score: rng.int(3...6),
                                         reason: t("The family is working with us; worries remain.", "Mae'r teulu'n gweithio gyda ni; mae pryderon o hyd.")),
                         SafetyJudgement(who: t("Mum", "Mam"), score: rng.int(5...8),
                                         reason: t("Things are calmer when Nain is around.", "Mae pethau'n dawelach pan mae Nain o gwmpas."))],
            network: [SafetyNetworkEntry(name: "Nain", role: t("Stays over when things get tense", "Yn aros dros nos pan mae pethau'n anodd"),
                                         phone: DemoGenerator.mobile(rng.int(0...999)), agreed: true),
                      SafetyNetworkEntry(name: t("Neighbour", "Cymydog"), role: t("Child can go next door", "Gall y plentyn fynd drws nesaf"),
                                         phone: DemoGenerator.mobile(rng.int(0...999)), agreed: rng.chance(0.7))],
            rules: [t("No shouting in front of the children", "Dim gweiddi o flaen y plant"),
                    t("Nain is called when arguments start", "Mae Nain yn cael ei ffonio pan mae ffrae'n dechrau")],
            triggers: [t("Drinking at weekends", "Yfed ar benwythnosau"), t("Money worries at the end of the month", "Poeni am arian ar ddiwedd y mis")],
            bottomLines: [t("The children are never left alone with an adult who has been drinking",
                            "Nid yw'r plant byth ar eu pennau eu hunain gydag oedolyn sydd wedi bod yn yfed")],
            contingencies: [Contingency(ifWhat: t("an argument starts and won't stop", "mae ffrae'n dechrau a dydy hi ddim yn stopio"),
                                        then: t("the children go to Nain's", "mae'r plant yn mynd at Nain"), who: t("Mum phones Nain", "Mam yn ffonio Nain"))],
            childView: t("I feel safe when Nain is there.", "Dwi'n teimlo'n saff pan mae Nain yma."),
            agreedBy: [t("Mum", "Mam"), "Nain", t("Worker", "Gweithiwr")], agreedOn: firstDay, createdOn: firstDay,
            reviewDate: firstDay.adding(days: 28))
        var changes = [ImportedChangeValue(author: author, day: firstDay, records: [plan])]
        let secondDay = firstDay.adding(days: rng.int(20...60))
        if secondDay < today && rng.chance(0.6) {
            var next = plan.revised(id: rng.id(), on: secondDay)
            next.judgements = next.judgements.map { SafetyJudgement(who: $0.who, score: min(10, $0.score + 1), reason: $0.reason) }
            next.agreedBy = plan.agreedBy
            next.agreedOn = secondDay
            next.immediate = false
            next.reviewDate = secondDay.adding(days: rng.pick([14, 28, 42]))
            plan.status = .superseded
            changes.append(ImportedChangeValue(author: author, day: secondDay, records: [plan, next]))
        }
        return changes
    }

    mutating func note(family: Family.ID, on day: Day, people: [Person], welsh: Bool) -> ContactNote {
        let kind = rng.weighted([(ContactNote.Kind.visit, 5), (.call, 3), (.meeting, 1), (.message, 1)])
        let seen = people.filter { _ in rng.chance(0.6) }.map(\.id)
        let child = people.first(where: \.isChild)?.givenName ?? (welsh ? "y plentyn" : "the child")
        let text = pick(DemoText.notes[kind] ?? [], welsh: welsh).replacingOccurrences(of: "{child}", with: child)
        var followUps: [PlanAction] = []
        if rng.chance(0.3) {
            let action = rng.pick(DemoText.goalPlans.flatMap(\.actions))
            followUps.append(PlanAction(id: "f1", what: welsh ? action.cy : action.en, who: welsh ? "Gweithiwr" : "Worker", byWhen: day.adding(days: rng.int(3...21))))
        }
        return ContactNote(id: rng.id(), familyID: family, contactKind: kind, date: day, seen: seen,
                           childSeenAlone: kind == .visit && rng.chance(0.3), text: text, followUps: followUps)
    }

    mutating func meeting(family: Family.ID, on day: Day, people: [Person], welsh: Bool) -> FamilyGroupMeeting {
        let t: (String, String) -> String = { en, cy in welsh ? cy : en }
        let adults = people.filter { !$0.isChild }
        var attendees = adults.map { FamilyGroupMeeting.Attendee(name: $0.fullName, group: .family, attendance: .attended) }
        attendees.append(.init(name: "Nain", group: .network, attendance: .attended))
        attendees.append(.init(name: t("School", "Ysgol"), group: .professional, attendance: rng.chance(0.7) ? .attended : .writtenViews))
        return FamilyGroupMeeting(
            id: rng.id(), familyID: family, date: day,
            venue: rng.pick(welsh ? ["Cartref y teulu", "Canolfan Deulu", "Canolfan gymunedol"] : ["Family home", "Canolfan Deulu", "Community centre"]),
            languageUsed: welsh ? .welsh : .english, coordinator: t("Independent coordinator", "Cydlynydd annibynnol"), attendees: attendees,
            childParticipation: rng.pick([.viewsShared, .partOfMeeting, .advocate]),
            childParticipationNote: t("Shared views through a drawing.", "Rhannodd ei farn drwy lun."),
            worries: t("Evenings are hard and the children are missing school.", "Mae'r nosweithiau'n anodd ac mae'r plant yn colli ysgol."),
            strengths: t("A close and loving family; Nain lives nearby.", "Teulu agos a chariadus; mae Nain yn byw gerllaw."),
            resources: t("After-school club; debt advice.", "Clwb ar ôl ysgol; cyngor ar ddyledion."),
            bottomLines: t("The children are always with a sober adult.", "Mae'r plant bob amser gydag oedolyn sobr."),
            privateFamilyTime: true,
            familyPlan: [PlanAction(id: "m1", what: t("Walk the children to school on Mondays", "Cerdded y plant i'r ysgol ar ddydd Llun"), who: "Nain",
                                    byWhen: day.adding(days: 14), whoChecks: t("Mum", "Mam")),
                         PlanAction(id: "m2", what: t("Book a debt advice appointment", "Trefnu apwyntiad cyngor ar ddyledion"), who: "Dad",
                                    byWhen: day.adding(days: 21), whoChecks: t("Worker", "Gweithiwr"))],
            agreement: rng.weighted([(.agreed, 6), (.agreedWithChanges, 2), (.notAgreed, 1)]), agreementNote: "",
            contingency: t("If the plan is not working, Mum will phone the worker and Nain.", "Os nad yw'r cynllun yn gweithio, bydd Mam yn ffonio'r gweithiwr a Nain."),
            monitoring: t("Worker visits every two weeks.", "Mae'r gweithiwr yn ymweld bob pythefnos."),
            planLead: adults.first?.fullName ?? t("Mum", "Mam"), reviewDate: day.adding(days: 42),
            distribution: [t("Family", "Teulu"), "Nain", t("School", "Ysgol"), t("Worker", "Gweithiwr")])
    }
}
