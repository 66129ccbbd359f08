import KithCore

/// Taking a referral (with a new family, or for one already here) and deciding it.
extension FormCatalog {
    static func referralFields(_ context: AppContext, newFamily: Bool) -> [FieldSpec] {
        let s = context.strings
        var fields: [FieldSpec] = []
        if newFamily {
            fields += [
                FieldSpec("displayName", s("field.family.name"), .text, required: true, hint: s("field.family.name.hint")),
                FieldSpec("lead", s("field.referral.lead"), .choice(teamOptions(context)), required: true),
                FieldSpec("language", s("field.family.language"), .choice(options(LanguagePreference.self, s))),
                membersField(context),
                FieldSpec("referralHeading", s("referral.section"), .heading),
            ]
        }
        fields += [
            FieldSpec("receivedOn", s("field.referral.receivedOn"), .date, required: true),
            FieldSpec("source", s("field.referral.source"), .choice(options(Referral.Source.self, s)), required: true),
            FieldSpec("agency", s("field.referral.agency"), .text),
            FieldSpec("contact", s("field.referral.contact"), .text, hint: s("field.referral.contact.hint")),
            FieldSpec("reason", s("field.referral.reason"), .note(lines: 5), required: true, hint: s("field.referral.reason.hint")),
            FieldSpec("presentingNeeds", s("field.referral.needs"), .note(lines: 3)),
            FieldSpec("riskFactors", s("field.referral.risks"), .note(lines: 3)),
            FieldSpec("consentToReferral", s("field.referral.consent"), .toggle),
        ]
        return fields
    }

    static func referralValues(_ context: AppContext, newFamily: Bool) -> [String: FieldValue] {
        let me = context.session?.user
        var values: [String: FieldValue] = ["receivedOn": .date(context.today), "source": .choice(Referral.Source.school.rawValue)]
        if newFamily {
            values["lead"] = .choice(me?.role == .admin ? nil : me?.id.raw)
            values["language"] = .choice(LanguagePreference.english.rawValue)
        }
        return values
    }

    static func referral(_ family: Family.ID, _ state: FormState, _ context: AppContext, _ ids: IDSource) -> Referral {
        Referral(id: ids.id(), familyID: family, receivedOn: state.day("receivedOn", today: context.today) ?? context.today,
                 source: state.choice("source", as: Referral.Source.self) ?? .other, agency: state.text("agency"), contact: state.text("contact"),
                 reason: state.note("reason"), presentingNeeds: state.note("presentingNeeds"), riskFactors: state.note("riskFactors"),
                 consentToReferral: state.flag("consentToReferral"))
    }

    /// A family brought by a referral is "referred" until the referral is decided.
    static func referralNewFamilyOutput(_ state: FormState, _ context: AppContext, _ ids: IDSource, _ problems: inout [String: String]) -> FormOutput? {
        guard let session = context.session else { return nil }
        let id: Family.ID = ids.id()
        var family = Family(id: id, reference: Family.reference(for: id), displayName: state.text("displayName"), serviceLevel: .secondary,
                            serviceLevelHistory: [], status: .referred, lead: state.choice("lead").map(User.ID.init), team: session.user.team,
                            language: state.choice("language", as: LanguagePreference.self) ?? .english, openedOn: context.today)
        family.changeServiceLevel(to: .secondary, on: context.today, by: session.user.id, reason: nil)
        add(family.validate(today: context.today), to: &problems, spec: FormSpec(title: "", fields: referralFields(context, newFamily: true)), context.strings)
        let records: [any FamilyScoped] = [family] + memberRecords(state, family: id, context, ids) + [referral(id, state, context, ids)]
        return .records(family: id, records, createsFamily: true)
    }

    static func referralOutput(_ file: CaseFile, _ state: FormState, _ context: AppContext, _ ids: IDSource) -> FormOutput {
        .records(family: file.family.id, [referral(file.family.id, state, context, ids)], createsFamily: false)
    }

    static func decideReferralFields(_ context: AppContext, referral: Referral?) -> [FieldSpec] {
        let s = context.strings
        var about: [String] = []
        if let r = referral {
            about.append(s("referral.summary", ["date": s.date(r.receivedOn), "source": s(r.source.labelKey)]) + (r.agency.isEmpty ? "" : " (\(r.agency))"))
            about.append(r.reason)
            about.append(s(r.consentToReferral ? "referral.consented" : "referral.notConsented"))
        }
        return [
            FieldSpec("referral", "", .info(about)),
            FieldSpec("decision", s("field.referral.decision"), .choice(options(Referral.Decision.self, s, except: [.pending])), required: true),
            FieldSpec("decisionReason", s("field.referral.decisionReason"), .note(lines: 4), required: true, hint: s("field.referral.decisionReason.hint")),
        ]
    }

    /// The decision, and what it does to the family: opening it makes it active (a closed
    /// family re-opens); anything else closes a family that was only referred.
    static func decideReferralOutput(_ file: CaseFile, _ referral: Referral, _ state: FormState, _ context: AppContext,
                                     _ problems: inout [String: String]) -> FormOutput {
        var decided = referral
        decided.decision = state.choice("decision", as: Referral.Decision.self) ?? .open
        decided.decidedBy = context.session?.user.id
        decided.decidedOn = context.today
        decided.decisionReason = state.note("decisionReason")
        if !referral.isPending { problems["decision"] = context.strings("referral.alreadyDecided") }
        var family = file.family
        family.status = Referral.status(after: decided.decision, from: family.status)
        return .records(family: family.id, family.status == file.family.status ? [decided] : [decided, family], createsFamily: false)
    }
}
