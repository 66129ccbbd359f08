import KithCore

/// What a submitted form becomes.
public enum FormOutput: Sendable {
    case createStore(CreateStoreRequest)
    case records(family: Family.ID, [any FamilyScoped], createsFamily: Bool)
    /// A printout for another agency, its consent checked.
    case share(PrintRequest)
    /// Work on an attached file, done by the edge.
    case attachment(Family.ID, AttachmentRequest.Action)
}

/// Problems that stop a save, by field id, in the user's language.
public struct FormProblems: Error, Sendable {
    public var fields: [String: String]
    public init(_ fields: [String: String]) { self.fields = fields }
}

/// Every form Kith has: its fields, its starting values and the records it produces.
/// Field ids match the record's field names, so the domain's validation lands on the
/// right field.
public enum FormCatalog {
    public static func spec(for purpose: FormPurpose, file: CaseFile?, context: AppContext) -> FormSpec {
        let title = context.strings(purpose.titleKey)
        return FormSpec(title: title, fields: fields(for: purpose, file: file, context: context))
    }

    static func fields(for purpose: FormPurpose, file: CaseFile?, context: AppContext) -> [FieldSpec] {
        switch purpose {
        case .setupStore: setupFields(context)
        case .newFamily: familyFields(context, new: true)
        case .editFamily: familyFields(context, new: false)
        case .serviceLevel: serviceLevelFields(context)
        case .lead: leadFields(context)
        case .closure: closureFields(context)
        case .person: personFields(context)
        case .network: networkFields(context)
        case .professional: professionalFields(context)
        case .consent(_, let id): consentFields(context, file: file, consent: id.flatMap { file?.consents[$0] })
        case .riskFactor: riskFields(context, file: file)
        case .contactNote: noteFields(context, file: file)
        case .flag(_, let target): flagFields(context, target: target, file: file)
        case .resolveFlag(_, let id): resolveFields(context, flag: file?.flags[id])
        case .addendum(_, let target): addendumFields(context, target: target)
        case .plan: planFields(context)
        case .safetyPlan: safetyPlanFields(context, file: file)
        case .meeting: meetingFields(context, file: file)
        case .review: reviewFields(context, file: file)
        case .supervision: supervisionFields(context)
        case .requestSignOff(_, let target): requestSignOffFields(context, target: target, file: file)
        case .decideSignOff(_, let id): decideSignOffFields(context, request: file?.signOffs[id], file: file)
        case .proposeClosure: proposeClosureFields(context)
        case .referral(let f): referralFields(context, newFamily: f == nil)
        case .decideReferral(_, let id): decideReferralFields(context, referral: file?.referrals[id])
        case .share: shareFields(context, file: file)
        case .attach: attachFields(context)
        case .writeAttachment(_, let id): writeAttachmentFields(context, attachment: file?.attachments[id])
        case .removeAttachment(_, let id): removeAttachmentFields(context, attachment: file?.attachments[id])
        }
    }

    public static func initialValues(for purpose: FormPurpose, file: CaseFile?, context: AppContext) -> [String: FieldValue] {
        switch purpose {
        case .setupStore: setupValues(context)
        case .newFamily: newFamilyValues(context)
        case .editFamily: file.map { familyValues($0.family, context) } ?? [:]
        case .serviceLevel: ["serviceLevel": .choice(file?.family.serviceLevel.rawValue), "from": .date(context.today)]
        case .lead: ["lead": .choice(file?.family.lead?.raw), "coworkers": .multi(file?.family.coworkers.map(\.raw) ?? [])]
        case .closure: ["date": .date(context.today), "reason": .choice(Closure.Reason.goalsMet.rawValue)]
        case .person(_, let id): personValues(id.flatMap { file?.people[$0] }, file: file)
        case .network(_, let id): networkValues(id.flatMap { file?.network[$0] })
        case .professional(_, let id): professionalValues(id.flatMap { file?.professionals[$0] })
        case .consent(_, let id): consentValues(id.flatMap { file?.consents[$0] }, context)
        case .riskFactor(_, let id): riskValues(id.flatMap { file?.riskFactors[$0] }, context)
        case .contactNote: ["contactKind": .choice(ContactNote.Kind.visit.rawValue), "date": .date(context.today)]
        case .flag, .addendum: [:]
        case .resolveFlag: [:]
        case .plan(_, let id): planValues(id.flatMap { file?.plans[$0] }, context)
        case .safetyPlan(_, let id, let revising): safetyPlanValues(editing: id.flatMap { file?.safetyPlans[$0] }, revising: revising.flatMap { file?.safetyPlans[$0] }, file: file, context)
        case .meeting: meetingValues(file: file, context)
        case .review: reviewValues(file: file, context)
        case .supervision: ["date": .date(context.today), "worker": .choice(file?.family.lead?.raw)]
        case .requestSignOff: [:]
        case .decideSignOff: ["decision": .choice(SignOff.State.approved.rawValue)]
        case .proposeClosure: ["date": .date(context.today), "reason": .choice(Closure.Reason.goalsMet.rawValue)]
        case .referral(let f): referralValues(context, newFamily: f == nil)
        case .decideReferral: ["decision": .choice(Referral.Decision.open.rawValue)]
        case .share: ["format": .choice(ShareFormat.html)]
        case .writeAttachment(_, let id): writeAttachmentValues(file?.attachments[id], context)
        case .attach, .removeAttachment: [:]
        }
    }

    public static func records(for purpose: FormPurpose, state: FormState, file: CaseFile?, context: AppContext,
                               ids: IDSource) -> Result<FormOutput, FormProblems> {
        let spec = spec(for: purpose, file: file, context: context)
        var problems = basicProblems(spec, state, context)
        let output: FormOutput?
        switch purpose {
        case .setupStore: output = setupOutput(state, context, &problems)
        case .newFamily: output = newFamilyOutput(state, context, ids, &problems)
        case .editFamily: output = file.map { editFamilyOutput($0, state, context, &problems) }
        case .serviceLevel: output = file.map { serviceLevelOutput($0, state, context) }
        case .lead: output = file.map { leadOutput($0, state) }
        case .closure: output = file.map { closureOutput($0, state, context, ids) }
        case .person(_, let id): output = file.map { personOutput($0, id, state, context, ids, &problems) }
        case .network(_, let id): output = file.map { networkOutput($0, id, state, ids) }
        case .professional(_, let id): output = file.map { professionalOutput($0, id, state, ids) }
        case .consent(_, let id): output = file.map { consentOutput($0, id, state, context, ids, &problems) }
        case .riskFactor(_, let id): output = file.map { riskOutput($0, id, state, context, ids) }
        case .contactNote: output = file.map { noteOutput($0, state, context, ids, &problems) }
        case .flag(_, let target): output = file.map { flagOutput($0, target, state, context, ids) }
        case .resolveFlag(_, let id): output = file.flatMap { f in f.flags[id].map { resolveOutput(f, $0, state, context) } }
        case .addendum(_, let target): output = file.map { addendumOutput($0, target, state, context, ids) }
        case .plan(_, let id): output = file.map { planOutput($0, id, state, context, ids, &problems) }
        case .safetyPlan(_, let id, let revising): output = file.map { safetyPlanOutput($0, id, revising, state, context, ids, &problems) }
        case .meeting: output = file.map { meetingOutput($0, state, context, ids, &problems) }
        case .review: output = file.map { reviewOutput($0, state, context, ids, &problems) }
        case .supervision: output = file.map { supervisionOutput($0, state, context, ids) }
        case .requestSignOff(_, let target): output = file.map { requestSignOffOutput($0, target, state, context, ids) }
        case .decideSignOff(_, let id): output = file.flatMap { f in f.signOffs[id].map { decideSignOffOutput(f, $0, state, context, ids, &problems) } }
        case .proposeClosure: output = file.map { proposeClosureOutput($0, state, context, ids) }
        case .referral(nil): output = referralNewFamilyOutput(state, context, ids, &problems)
        case .referral: output = file.map { referralOutput($0, state, context, ids) }
        case .decideReferral(_, let id): output = file.flatMap { f in f.referrals[id].map { decideReferralOutput(f, $0, state, context, &problems) } }
        case .share(_, let ref): output = file.map { shareOutput($0, ref, state, context, &problems) }
        case .attach(let f): output = .attachment(f, .attach(path: state.text("path"), title: state.text("title")))
        case .writeAttachment(let f, let id): output = .attachment(f, .writeCopy(id, path: state.text("path")))
        case .removeAttachment(let f, let id): output = .attachment(f, .remove(id, reason: state.note("reason")))
        }
        if !problems.isEmpty { return .failure(FormProblems(problems)) }
        guard let output else { return .failure(FormProblems(["": context.strings("form.noFamily")])) }
        return .success(output)
    }

    // MARK: - Shared helpers

    static func options<L: Labelled>(_ type: L.Type, _ s: Strings, except: Set<L> = []) -> [PickList.Option] {
        L.allCases.filter { !except.contains($0) }.map { PickList.Option(id: $0.rawValue, label: s($0.labelKey)) }
    }

    static func teamOptions(_ context: AppContext) -> [PickList.Option] {
        (context.session?.teamMembers ?? []).map { PickList.Option(id: $0.id.raw, label: $0.displayName) }
    }

    static func peopleOptions(_ file: CaseFile?, context: AppContext) -> [PickList.Option] {
        (file?.householdMembers ?? []).map {
            PickList.Option(id: $0.id.raw, label: "\($0.givenName) (\(context.strings.age(born: $0.dateOfBirth, estimated: $0.estimatedAge, today: context.today)))")
        }
    }

    /// Required fields left empty, and dates that could not be understood.
    static func basicProblems(_ spec: FormSpec, _ state: FormState, _ context: AppContext) -> [String: String] {
        var problems: [String: String] = [:]
        for field in spec.fields {
            if field.required && state[field.id].isEmpty { problems[field.id] = context.strings("problem.required") }
            if case .date = field.kind, state.date(field.id, today: context.today) == .invalid {
                problems[field.id] = context.strings("date.invalid")
            }
        }
        return problems
    }

    /// Adds the domain's validation problems for fields the form has.
    static func add(_ issues: [ValidationIssue], to problems: inout [String: String], spec: FormSpec, _ s: Strings) {
        for issue in issues where problems[issue.field] == nil {
            let field = spec.field(issue.field) != nil ? issue.field : (spec.fields.first?.id ?? issue.field)
            if problems[field] == nil { problems[field] = s(issue.problem.labelKey) }
        }
    }

    static func splitList(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == "\n" }).map { String($0).trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { String($0).trimmingCharacters(in: " \t•-") }.filter { !$0.isEmpty }
    }

    /// Rows of a repeating "actions" field as plan actions (ids kept when editing).
    static func actions(_ rows: [FormState], context: AppContext, prefix: String, ids: IDSource) -> [PlanAction] {
        rows.filter { !$0.text("what").isEmpty }.map { row in
            PlanAction(id: row.optionalText("id") ?? ids.text(prefix, count: 6), what: row.text("what"), who: row.text("who"),
                       byWhen: row.day("byWhen", today: context.today), whoChecks: row.text("whoChecks"))
        }
    }

    static func actionRows(_ actions: [PlanAction]) -> FieldValue {
        .rows(actions.map { a in
            ["id": .text(a.id), "what": .text(a.what), "who": .text(a.who), "byWhen": .date(a.byWhen), "whoChecks": .text(a.whoChecks)]
        })
    }

    static func actionFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("what", s("field.action.what"), .text, required: true),
            FieldSpec("who", s("field.action.who"), .text),
            FieldSpec("byWhen", s("field.action.byWhen"), .date),
            FieldSpec("whoChecks", s("field.action.whoChecks"), .text),
        ]
    }
}
