import KithCore

extension FormCatalog {
    // MARK: First run

    static func setupFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("intro", "", .info([s("setup.intro"), s("setup.passphraseAdvice")])),
            FieldSpec("teamName", s("field.setup.team"), .text, required: true),
            FieldSpec("displayName", s("field.setup.name"), .text, required: true),
            FieldSpec("login", s("field.setup.login"), .text, required: true, hint: s("field.setup.login.hint")),
            FieldSpec("role", s("field.setup.role"), .choice(options(User.Role.self, s))),
            FieldSpec("passphrase", s("field.setup.passphrase"), .text(secret: true), required: true),
            FieldSpec("repeat", s("field.setup.repeat"), .text(secret: true), required: true),
        ]
    }

    static func setupValues(_ context: AppContext) -> [String: FieldValue] {
        ["role": .choice(User.Role.teamLead.rawValue), "passphrase": .text(TextField(secret: true)), "repeat": .text(TextField(secret: true))]
    }

    static func setupOutput(_ state: FormState, _ context: AppContext, _ problems: inout [String: String]) -> FormOutput? {
        let s = context.strings
        let passphrase = state["passphrase"].textValue
        if passphrase.count < 8 { problems["passphrase"] = s("setup.tooShort", ["n": "8"]) }
        if passphrase != state["repeat"].textValue { problems["repeat"] = s("setup.mismatch") }
        let login = state.text("login")
        if login.contains(where: { $0.isWhitespace }) { problems["login"] = s("setup.loginSpaces") }
        return .createStore(CreateStoreRequest(teamName: state.text("teamName"), displayName: state.text("displayName"), login: login,
                                               role: state.choice("role", as: User.Role.self) ?? .teamLead, passphrase: passphrase))
    }

    // MARK: Family

    static func familyFields(_ context: AppContext, new: Bool) -> [FieldSpec] {
        let s = context.strings
        var fields = [
            FieldSpec("displayName", s("field.family.name"), .text, required: true, hint: s("field.family.name.hint")),
            FieldSpec("area", s("field.family.area"), .text),
            FieldSpec("address", s("field.family.address"), .text),
        ]
        if new {
            fields += [
                FieldSpec("serviceLevel", s("field.family.level"), .choice(options(ServiceLevel.self, s))),
                FieldSpec("lead", s("field.family.lead"), .choice(teamOptions(context)), required: true),
            ]
        }
        fields += [
            FieldSpec("status", s("field.family.status"), .choice(options(FamilyStatus.self, s, except: [.closed]))),
            FieldSpec("language", s("field.family.language"), .choice(options(LanguagePreference.self, s))),
            FieldSpec("otherLanguage", s("field.family.otherLanguage"), .text),
            FieldSpec("interpreterNeeded", s("field.family.interpreter"), .toggle),
            FieldSpec("activeOffer", s("field.family.activeOffer"), .toggle, hint: s("field.family.activeOffer.hint")),
            FieldSpec("riskLevel", s("field.family.risk"), .choice(options(RiskLevel.self, s))),
            FieldSpec("sensitive", s("field.family.sensitive"), .toggle, hint: s("field.family.sensitive.hint")),
        ]
        if new { fields.append(membersField(context)) }
        return fields
    }

    /// The household typed with a new family (a few details each; the rest later).
    static func membersField(_ context: AppContext) -> FieldSpec {
        let s = context.strings
        return FieldSpec("members", s("field.family.members"), .rows(RowsSpec(
            rowTitle: s("field.family.member"),
            fields: [
                FieldSpec("givenName", s("field.person.given"), .text, required: true),
                FieldSpec("familyName", s("field.person.family"), .text),
                FieldSpec("role", s("field.person.role"), .choice(options(PersonRole.self, s))),
                FieldSpec("dateOfBirth", s("field.person.born"), .date),
            ],
            summary: ["givenName", "familyName", "role", "dateOfBirth"])), hint: s("field.family.members.hint"))
    }

    /// The people of `membersField`, as records of the new family.
    static func memberRecords(_ state: FormState, family: Family.ID, _ context: AppContext, _ ids: IDSource) -> [Person] {
        state.rows("members").filter { !$0.text("givenName").isEmpty || !$0.text("familyName").isEmpty }.map { row in
            Person(id: ids.id(), familyID: family, role: row.choice("role", as: PersonRole.self) ?? .child,
                   givenName: row.text("givenName"), familyName: row.text("familyName"), dateOfBirth: row.day("dateOfBirth", today: context.today))
        }
    }

    static func newFamilyValues(_ context: AppContext) -> [String: FieldValue] {
        let me = context.session?.user
        return [
            "serviceLevel": .choice(ServiceLevel.secondary.rawValue), "status": .choice(FamilyStatus.active.rawValue),
            "lead": .choice(me?.role == .admin ? nil : me?.id.raw), "language": .choice(LanguagePreference.english.rawValue),
            "riskLevel": .choice(RiskLevel.unknown.rawValue),
        ]
    }

    static func familyValues(_ family: Family, _ context: AppContext) -> [String: FieldValue] {
        [
            "displayName": .text(family.displayName), "area": .text(family.area), "address": .text(family.address),
            "status": .choice(family.status.rawValue), "language": .choice(family.language.rawValue), "otherLanguage": .text(family.otherLanguage),
            "interpreterNeeded": .toggle(family.interpreterNeeded), "activeOffer": .toggle(family.activeOffer != nil),
            "riskLevel": .choice(family.riskLevel.rawValue), "sensitive": .toggle(family.sensitive),
        ]
    }

    private static func applyCommon(_ family: inout Family, _ state: FormState, _ context: AppContext) {
        family.displayName = state.text("displayName")
        family.area = state.optionalText("area")
        family.address = state.optionalText("address")
        family.status = state.choice("status", as: FamilyStatus.self) ?? family.status
        family.language = state.choice("language", as: LanguagePreference.self) ?? family.language
        family.otherLanguage = family.language == .other ? state.optionalText("otherLanguage") : nil
        family.interpreterNeeded = state.flag("interpreterNeeded")
        if state.flag("activeOffer") {
            if family.activeOffer == nil, let me = context.session?.user.id { family.activeOffer = ActiveOffer(on: context.today, by: me) }
        } else {
            family.activeOffer = nil
        }
        family.riskLevel = state.choice("riskLevel", as: RiskLevel.self) ?? family.riskLevel
        family.sensitive = state.flag("sensitive")
    }

    static func newFamilyOutput(_ state: FormState, _ context: AppContext, _ ids: IDSource, _ problems: inout [String: String]) -> FormOutput? {
        guard let session = context.session else { return nil }
        let id: Family.ID = ids.id()
        let level = state.choice("serviceLevel", as: ServiceLevel.self) ?? .secondary
        let lead = state.choice("lead").map(User.ID.init)
        var family = Family(id: id, reference: Family.reference(for: id), displayName: "", serviceLevel: level,
                            serviceLevelHistory: [], lead: lead, team: session.user.team, openedOn: context.today)
        family.changeServiceLevel(to: level, on: context.today, by: session.user.id, reason: nil)
        applyCommon(&family, state, context)
        add(family.validate(today: context.today), to: &problems, spec: FormSpec(title: "", fields: familyFields(context, new: true)), context.strings)
        return .records(family: id, [family] + memberRecords(state, family: id, context, ids), createsFamily: true)
    }

    static func editFamilyOutput(_ file: CaseFile, _ state: FormState, _ context: AppContext, _ problems: inout [String: String]) -> FormOutput {
        var family = file.family
        applyCommon(&family, state, context)
        add(family.validate(today: context.today), to: &problems, spec: FormSpec(title: "", fields: familyFields(context, new: false)), context.strings)
        return .records(family: family.id, [family], createsFamily: false)
    }

    // MARK: Service level, lead, closure

    static func serviceLevelFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("serviceLevel", s("field.family.level"), .choice(options(ServiceLevel.self, s))),
            FieldSpec("from", s("field.level.from"), .date, required: true),
            FieldSpec("reason", s("field.level.reason"), .text, hint: s("field.level.reason.hint")),
        ]
    }

    static func serviceLevelOutput(_ file: CaseFile, _ state: FormState, _ context: AppContext) -> FormOutput {
        var family = file.family
        let level = state.choice("serviceLevel", as: ServiceLevel.self) ?? family.serviceLevel
        family.changeServiceLevel(to: level, on: state.day("from", today: context.today) ?? context.today,
                                  by: context.session?.user.id ?? User.ID(""), reason: state.optionalText("reason"))
        return .records(family: family.id, [family], createsFamily: false)
    }

    static func leadFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("lead", s("field.family.lead"), .choice(teamOptions(context)), required: true),
            FieldSpec("coworkers", s("field.family.coworkers"), .multiChoice(teamOptions(context))),
        ]
    }

    static func leadOutput(_ file: CaseFile, _ state: FormState) -> FormOutput {
        var family = file.family
        family.lead = state.choice("lead").map(User.ID.init)
        family.coworkers = state.multi("coworkers").map(User.ID.init).filter { $0 != family.lead }
        return .records(family: family.id, [family], createsFamily: false)
    }

    static func closureFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("intro", "", .info([s("closure.explain")])),
            FieldSpec("date", s("field.closure.date"), .date, required: true),
            FieldSpec("reason", s("field.closure.reason"), .choice(options(Closure.Reason.self, s)), required: true),
            FieldSpec("note", s("field.closure.note"), .note(lines: 4)),
        ]
    }

    static func closureOutput(_ file: CaseFile, _ state: FormState, _ context: AppContext, _ ids: IDSource) -> FormOutput {
        var family = file.family
        family.status = .closed
        let closure = Closure(id: ids.id(), familyID: family.id, date: state.day("date", today: context.today) ?? context.today,
                              reason: state.choice("reason", as: Closure.Reason.self) ?? .other, note: state.note("note"))
        return .records(family: family.id, [closure, family], createsFamily: false)
    }
}
