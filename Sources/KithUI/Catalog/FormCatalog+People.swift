import KithCore

extension FormCatalog {
    // MARK: Household members

    static func personFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("role", s("field.person.role"), .choice(options(PersonRole.self, s))),
            FieldSpec("givenName", s("field.person.given"), .text, required: true),
            FieldSpec("familyName", s("field.person.family"), .text),
            FieldSpec("aliases", s("field.person.aliases"), .text, hint: s("field.person.aliases.hint")),
            FieldSpec("dateOfBirth", s("field.person.born"), .date),
            FieldSpec("estimatedAge", s("field.person.estimatedAge"), .text, hint: s("field.person.estimatedAge.hint")),
            FieldSpec("school", s("field.person.school"), .text),
            FieldSpec("disability", s("field.person.disability"), .text),
            FieldSpec("communicationNeeds", s("field.person.communication"), .text),
            FieldSpec("livesInHousehold", s("field.person.livesHere"), .toggle),
        ]
    }

    static func personValues(_ person: Person?, file: CaseFile?) -> [String: FieldValue] {
        guard let p = person else {
            let surname = file?.householdMembers.first?.familyName
            return ["role": .choice(PersonRole.child.rawValue), "familyName": .text(surname), "livesInHousehold": .toggle(true)]
        }
        return [
            "role": .choice(p.role.rawValue), "givenName": .text(p.givenName), "familyName": .text(p.familyName),
            "aliases": .text(p.aliases.joined(separator: ", ")), "dateOfBirth": .date(p.dateOfBirth),
            "estimatedAge": .text(p.estimatedAge.map(String.init)), "school": .text(p.school), "disability": .text(p.disability),
            "communicationNeeds": .text(p.communicationNeeds), "livesInHousehold": .toggle(p.livesInHousehold),
        ]
    }

    static func personOutput(_ file: CaseFile, _ id: Person.ID?, _ state: FormState, _ context: AppContext,
                             _ ids: IDSource, _ problems: inout [String: String]) -> FormOutput {
        var person = id.flatMap { file.people[$0] } ?? Person(id: ids.id(), familyID: file.family.id, role: .child, givenName: "", familyName: "")
        person.role = state.choice("role", as: PersonRole.self) ?? person.role
        person.givenName = state.text("givenName")
        person.familyName = state.text("familyName")
        person.aliases = splitList(state.text("aliases"))
        person.dateOfBirth = state.day("dateOfBirth", today: context.today)
        let age = state.text("estimatedAge")
        person.estimatedAge = Int(age)
        if !age.isEmpty && Int(age) == nil { problems["estimatedAge"] = context.strings("problem.notANumber") }
        person.school = state.optionalText("school")
        person.disability = state.optionalText("disability")
        person.communicationNeeds = state.optionalText("communicationNeeds")
        person.livesInHousehold = state.flag("livesInHousehold")
        add(person.validate(today: context.today), to: &problems, spec: FormSpec(title: "", fields: personFields(context)), context.strings)
        return .records(family: file.family.id, [person], createsFamily: false)
    }

    // MARK: Network and professionals

    static func networkFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("name", s("field.network.name"), .text, required: true),
            FieldSpec("relationship", s("field.network.relationship"), .choice(options(NetworkMember.Relationship.self, s))),
            FieldSpec("phone", s("field.network.phone"), .text),
            FieldSpec("roleInPlans", s("field.network.role"), .text, hint: s("field.network.role.hint")),
        ]
    }

    static func networkValues(_ member: NetworkMember?) -> [String: FieldValue] {
        guard let m = member else { return ["relationship": .choice(NetworkMember.Relationship.grandparent.rawValue)] }
        return ["name": .text(m.name), "relationship": .choice(m.relationship.rawValue), "phone": .text(m.phone), "roleInPlans": .text(m.roleInPlans)]
    }

    static func networkOutput(_ file: CaseFile, _ id: NetworkMember.ID?, _ state: FormState, _ ids: IDSource) -> FormOutput {
        var member = id.flatMap { file.network[$0] } ?? NetworkMember(id: ids.id(), familyID: file.family.id, name: "", relationship: .other)
        member.name = state.text("name")
        member.relationship = state.choice("relationship", as: NetworkMember.Relationship.self) ?? member.relationship
        member.phone = state.optionalText("phone")
        member.roleInPlans = state.optionalText("roleInPlans")
        return .records(family: file.family.id, [member], createsFamily: false)
    }

    static func professionalFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("name", s("field.professional.name"), .text, required: true),
            FieldSpec("agency", s("field.professional.agency"), .text, required: true),
            FieldSpec("role", s("field.professional.role"), .text),
            FieldSpec("phone", s("field.professional.phone"), .text),
            FieldSpec("email", s("field.professional.email"), .text),
        ]
    }

    static func professionalValues(_ p: Professional?) -> [String: FieldValue] {
        guard let p else { return [:] }
        return ["name": .text(p.name), "agency": .text(p.agency), "role": .text(p.role), "phone": .text(p.phone), "email": .text(p.email)]
    }

    static func professionalOutput(_ file: CaseFile, _ id: Professional.ID?, _ state: FormState, _ ids: IDSource) -> FormOutput {
        var p = id.flatMap { file.professionals[$0] } ?? Professional(id: ids.id(), familyID: file.family.id, name: "", agency: "", role: "")
        p.name = state.text("name")
        p.agency = state.text("agency")
        p.role = state.text("role")
        p.phone = state.optionalText("phone")
        p.email = state.optionalText("email")
        return .records(family: file.family.id, [p], createsFamily: false)
    }

    // MARK: Consent and risk factors

    static func consentFields(_ context: AppContext, file: CaseFile?, consent: Consent?) -> [FieldSpec] {
        let s = context.strings
        var people = peopleOptions(file, context: context)
        // A consent recorded before people were picked names its giver as typed.
        if let consent, consent.personID == nil { people.append(PickList.Option(id: recordedGiver, label: consent.givenBy)) }
        return [
            FieldSpec("scope", s("field.consent.scope"), .choice(options(Consent.Scope.self, s))),
            FieldSpec("personID", s("field.consent.givenBy"), .choice(people), required: true, hint: s("field.consent.givenBy.hint")),
            FieldSpec("givenOn", s("field.consent.date"), .date, required: true),
            FieldSpec("method", s("field.consent.method"), .choice(options(Consent.Method.self, s))),
            FieldSpec("agencies", s("field.consent.agencies"), .text, hint: s("field.consent.agencies.hint")),
            FieldSpec("until", s("field.consent.until"), .date, hint: s("field.consent.until.hint")),
            FieldSpec("withdrawnOn", s("field.consent.withdrawn"), .date, hint: s("field.consent.withdrawn.hint")),
        ]
    }

    /// The person choice for a consent whose giver was typed, not picked.
    static let recordedGiver = "recorded"

    static func consentValues(_ c: Consent?, _ context: AppContext) -> [String: FieldValue] {
        guard let c else {
            return ["scope": .choice(Consent.Scope.support.rawValue), "givenOn": .date(context.today), "method": .choice(Consent.Method.written.rawValue)]
        }
        return ["scope": .choice(c.scope.rawValue), "personID": .choice(c.personID?.raw ?? recordedGiver), "givenOn": .date(c.givenOn),
                "method": .choice(c.method.rawValue), "agencies": .text(c.agencies ?? ""), "until": .date(c.until), "withdrawnOn": .date(c.withdrawnOn)]
    }

    static func consentOutput(_ file: CaseFile, _ id: Consent.ID?, _ state: FormState, _ context: AppContext, _ ids: IDSource,
                              _ problems: inout [String: String]) -> FormOutput {
        let s = context.strings
        var c = id.flatMap { file.consents[$0] } ?? Consent(id: ids.id(), familyID: file.family.id, scope: .support, givenBy: "", givenOn: context.today, method: .written)
        c.scope = state.choice("scope", as: Consent.Scope.self) ?? c.scope
        let picked = state.choice("personID")
        if let picked, picked != recordedGiver, let person = file.people[Person.ID(picked)] {
            c.personID = person.id
            c.givenBy = person.fullName
        } else if picked != recordedGiver || c.personID != nil {
            problems["personID"] = s("problem.required")
        }
        c.givenOn = state.day("givenOn", today: context.today) ?? c.givenOn
        c.method = state.choice("method", as: Consent.Method.self) ?? c.method
        let agencies = state.text("agencies").trimmingCharacters(in: .whitespaces)
        c.agencies = agencies.isEmpty ? nil : agencies
        // Consent to share names its agencies; one recorded before they were named keeps
        // covering any agency, as it was given.
        let legacySharing = id.flatMap { file.consents[$0] }.map { $0.scope == .informationSharing && $0.agencies == nil } ?? false
        if c.scope == .informationSharing && c.agencyList.isEmpty && !legacySharing {
            problems["agencies"] = s("consent.namesAgencies")
        }
        c.until = state.day("until", today: context.today)
        c.withdrawnOn = state.day("withdrawnOn", today: context.today)
        if let until = c.until, until < c.givenOn { problems["until"] = s("consent.endsBeforeGiven") }
        if let withdrawn = c.withdrawnOn, withdrawn < c.givenOn { problems["withdrawnOn"] = s("consent.endsBeforeGiven") }
        return .records(family: file.family.id, [c], createsFamily: false)
    }

    static func riskFields(_ context: AppContext, file: CaseFile?) -> [FieldSpec] {
        let s = context.strings
        var factors = options(RiskFactor.self, s)
        for observation in file?.riskFactors.values ?? [:].values where RiskFactor(rawValue: observation.code) == nil {
            factors.append(PickList.Option(id: observation.code, label: observation.code))
        }
        return [
            FieldSpec("code", s("field.risk.factor"), .choice(factors), required: true),
            FieldSpec("status", s("field.risk.status"), .choice(options(RiskFactorObservation.Status.self, s))),
            FieldSpec("observedOn", s("field.risk.date"), .date, required: true),
            FieldSpec("evidence", s("field.risk.evidence"), .note(lines: 3), hint: s("field.risk.evidence.hint")),
        ]
    }

    static func riskValues(_ r: RiskFactorObservation?, _ context: AppContext) -> [String: FieldValue] {
        guard let r else { return ["status": .choice(RiskFactorObservation.Status.present.rawValue), "observedOn": .date(context.today)] }
        return ["code": .choice(r.code), "status": .choice(r.status.rawValue), "observedOn": .date(r.observedOn), "evidence": .note(r.evidence)]
    }

    static func riskOutput(_ file: CaseFile, _ id: RiskFactorObservation.ID?, _ state: FormState, _ context: AppContext, _ ids: IDSource) -> FormOutput {
        var r = id.flatMap { file.riskFactors[$0] } ?? RiskFactorObservation(id: ids.id(), familyID: file.family.id, code: "", status: .present, evidence: "", observedOn: context.today)
        r.code = state.choice("code") ?? r.code
        r.status = state.choice("status", as: RiskFactorObservation.Status.self) ?? r.status
        r.observedOn = state.day("observedOn", today: context.today) ?? r.observedOn
        r.evidence = state.note("evidence")
        return .records(family: file.family.id, [r], createsFamily: false)
    }
}
