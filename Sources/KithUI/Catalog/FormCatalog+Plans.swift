import KithCore

extension FormCatalog {
    // MARK: Support plans

    /// Domains of every instrument and the seven outcomes, for linking goals.
    static func domainOptions(_ context: AppContext) -> [PickList.Option] {
        var options = [PickList.Option(id: "", label: context.strings("field.goal.noLink"))]
        for instrument in context.instruments.current where instrument.id != "kith.risk-factors" {
            for domain in instrument.domains {
                options.append(PickList.Option(id: "\(instrument.id)/\(domain.id)", label: domain.title.text(context.strings.language)))
            }
        }
        if let outcomes = context.instruments.current.first(where: { $0.id == "kith.outcomes" }) {
            for item in outcomes.items {
                options.append(PickList.Option(id: "\(outcomes.id)/\(item.id)", label: item.text.text(context.strings.language)))
            }
        }
        return options
    }

    static func planFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        let goal = RowsSpec(rowTitle: s("field.plan.goal"), fields: [
            FieldSpec("text", s("field.goal.text"), .note(lines: 2), required: true, hint: s("field.goal.text.hint")),
            FieldSpec("linkedDomain", s("field.goal.domain"), .choice(domainOptions(context))),
            FieldSpec("status", s("field.goal.status"), .choice(options(Goal.Status.self, s))),
            FieldSpec("actions", s("field.goal.actions"), .rows(RowsSpec(rowTitle: s("field.action"), fields: actionFields(context), summary: ["what", "who", "byWhen"]))),
        ], summary: ["text", "status"])
        return [
            FieldSpec("title", s("field.plan.title"), .text, required: true),
            FieldSpec("reviewDate", s("field.plan.review"), .date),
            FieldSpec("goals", s("field.plan.goals"), .rows(goal), required: true, hint: s("field.plan.goals.hint")),
        ]
    }

    static func planValues(_ plan: Plan?, _ context: AppContext) -> [String: FieldValue] {
        guard let plan else {
            return ["title": .text(context.strings("plan.defaultTitle")), "reviewDate": .date(context.today.adding(months: 3))]
        }
        return [
            "title": .text(plan.title), "reviewDate": .date(plan.reviewDate),
            "goals": .rows(plan.goals.map { goal in
                ["id": .text(goal.id), "text": .note(goal.text), "linkedDomain": .choice(goal.linkedDomain ?? ""), "status": .choice(goal.status.rawValue),
                 "actions": actionRows(goal.actions)]
            }),
        ]
    }

    static func planOutput(_ file: CaseFile, _ id: Plan.ID?, _ state: FormState, _ context: AppContext, _ ids: IDSource,
                           _ problems: inout [String: String]) -> FormOutput {
        var plan = id.flatMap { file.plans[$0] } ?? Plan(id: ids.id(), familyID: file.family.id, title: "", createdOn: context.today)
        plan.title = state.text("title")
        plan.reviewDate = state.day("reviewDate", today: context.today)
        plan.goals = state.rows("goals").filter { !$0.note("text").isEmpty }.map { row in
            let link = row.choice("linkedDomain")
            return Goal(id: row.optionalText("id") ?? ids.text("g", count: 6), text: row.note("text"),
                        linkedDomain: link?.isEmpty == false ? link : nil, status: row.choice("status", as: Goal.Status.self) ?? .inProgress,
                        actions: actions(row.rows("actions"), context: context, prefix: "a", ids: ids))
        }
        add(plan.validate(today: context.today), to: &problems, spec: FormSpec(title: "", fields: planFields(context)), context.strings)
        return .records(family: file.family.id, [plan], createsFamily: false)
    }

    // MARK: Safety plans

    static func safetyPlanFields(_ context: AppContext, file: CaseFile?) -> [FieldSpec] {
        let s = context.strings
        let networkNames = (file.map { $0.ordered($0.network) } ?? []).map { PickList.Option(id: $0.id.raw, label: $0.name) }
        return [
            FieldSpec("immediate", s("field.safety.immediate"), .toggle, hint: s("field.safety.immediate.hint")),
            FieldSpec("reviewDate", s("field.safety.review"), .date, hint: s("field.safety.review.hint")),
            FieldSpec("worriesHeading", s("safety.section.worries"), .heading),
            FieldSpec("worries", s("field.safety.worries"), .rows(RowsSpec(rowTitle: s("field.safety.worry"), fields: [
                FieldSpec("who", s("field.worry.who"), .text, required: true),
                FieldSpec("about", s("field.worry.about"), .note(lines: 2), required: true),
                FieldSpec("ifNothingChanges", s("field.worry.ifNothing"), .note(lines: 2)),
                FieldSpec("safetyGoal", s("field.worry.goal"), .note(lines: 2), required: true, hint: s("field.worry.goal.hint")),
            ], summary: ["who", "about"])), required: true),
            FieldSpec("judgements", s("field.safety.judgements"), .rows(RowsSpec(rowTitle: s("field.safety.judgement"), fields: [
                FieldSpec("who", s("field.judgement.who"), .text, required: true),
                FieldSpec("score", s("field.judgement.score"), .rating(RatingSpec(options: (0...10).map { RatingScale.Option(value: $0, label: s("judgement.\($0)")) }, allowUnknown: false)),
                          hint: s("field.judgement.score.hint")),
                FieldSpec("reason", s("field.judgement.reason"), .note(lines: 2)),
            ], summary: ["who", "reason"]))),
            FieldSpec("networkHeading", s("safety.section.network"), .heading),
            FieldSpec("network", s("field.safety.network"), .rows(RowsSpec(rowTitle: s("field.safety.person"), fields: [
                FieldSpec("member", s("field.safety.fromNetwork"), .choice([PickList.Option(id: "", label: s("field.safety.someoneElse"))] + networkNames)),
                FieldSpec("name", s("field.safety.name"), .text, hint: s("field.safety.name.hint")),
                FieldSpec("role", s("field.safety.role"), .text, required: true),
                FieldSpec("phone", s("field.safety.phone"), .text),
                FieldSpec("agreed", s("field.safety.agreed"), .toggle),
            ], summary: ["name", "role", "phone", "agreed"])), required: true),
            FieldSpec("rulesHeading", s("safety.section.rules"), .heading),
            FieldSpec("rules", s("field.safety.rules"), .note(lines: 3), hint: s("field.safety.lines.hint")),
            FieldSpec("triggers", s("field.safety.triggers"), .note(lines: 3), hint: s("field.safety.lines.hint")),
            FieldSpec("bottomLines", s("field.safety.bottomLines"), .note(lines: 3), hint: s("field.safety.lines.hint")),
            FieldSpec("contingencies", s("field.safety.contingencies"), .rows(RowsSpec(rowTitle: s("field.safety.contingency"), fields: [
                FieldSpec("ifWhat", s("field.contingency.if"), .text, required: true),
                FieldSpec("then", s("field.contingency.then"), .text, required: true),
                FieldSpec("who", s("field.contingency.who"), .text),
            ], summary: ["ifWhat", "then", "who"]))),
            FieldSpec("childHeading", s("safety.section.child"), .heading),
            FieldSpec("childView", s("field.safety.childView"), .note(lines: 3), hint: s("field.safety.childView.hint")),
            FieldSpec("agreedBy", s("field.safety.agreedBy"), .text, hint: s("field.safety.agreedBy.hint")),
            FieldSpec("agreedOn", s("field.safety.agreedOn"), .date),
        ]
    }

    static func safetyPlanValues(editing: SafetyPlan?, revising: SafetyPlan?, file: CaseFile?, _ context: AppContext) -> [String: FieldValue] {
        guard let plan = editing ?? revising else {
            var values: [String: FieldValue] = ["immediate": .toggle(true), "reviewDate": .date(context.today.adding(days: SafetyPlan.immediateReviewDays))]
            let network = file.map { $0.ordered($0.network) } ?? []
            values["network"] = .rows(network.map { m in
                ["member": .choice(m.id.raw), "name": .text(m.name), "role": .text(m.roleInPlans), "phone": .text(m.phone), "agreed": .toggle(false)]
            })
            return values
        }
        var values: [String: FieldValue] = [
            "immediate": .toggle(revising == nil ? plan.immediate : false),
            "reviewDate": .date(revising == nil ? plan.reviewDate : context.today.adding(days: 28)),
            "worries": .rows(plan.worries.map { ["who": .text($0.who), "about": .note($0.about), "ifNothingChanges": .note($0.ifNothingChanges), "safetyGoal": .note($0.safetyGoal)] }),
            "judgements": .rows(plan.judgements.map { ["who": .text($0.who), "score": .rating(RatingScale(rating: .value($0.score))), "reason": .note($0.reason)] }),
            "network": .rows(plan.network.map { ["member": .choice($0.member?.raw ?? ""), "name": .text($0.name), "role": .text($0.role), "phone": .text($0.phone), "agreed": .toggle($0.agreed)] }),
            "rules": .note(plan.rules.joined(separator: "\n")), "triggers": .note(plan.triggers.joined(separator: "\n")),
            "bottomLines": .note(plan.bottomLines.joined(separator: "\n")),
            "contingencies": .rows(plan.contingencies.map { ["ifWhat": .text($0.ifWhat), "then": .text($0.then), "who": .text($0.who)] }),
            "childView": .note(plan.childView),
        ]
        if revising == nil {
            values["agreedBy"] = .text(plan.agreedBy.joined(separator: ", "))
            values["agreedOn"] = .date(plan.agreedOn)
        }
        return values
    }

    static func safetyPlanOutput(_ file: CaseFile, _ id: SafetyPlan.ID?, _ revising: SafetyPlan.ID?, _ state: FormState, _ context: AppContext,
                                 _ ids: IDSource, _ problems: inout [String: String]) -> FormOutput {
        var records: [any FamilyScoped] = []
        var plan: SafetyPlan
        if let id, let existing = file.safetyPlans[id] {
            plan = existing
        } else if let revising, var old = file.safetyPlans[revising] {
            plan = old.revised(id: ids.id(), on: context.today)
            old.status = .superseded
            records.append(old)
        } else {
            plan = SafetyPlan(id: ids.id(), familyID: file.family.id, createdOn: context.today)
        }
        plan.immediate = state.flag("immediate")
        plan.reviewDate = state.day("reviewDate", today: context.today)
        plan.worries = state.rows("worries").map {
            WorryStatement(who: $0.text("who"), about: $0.note("about"), ifNothingChanges: $0.note("ifNothingChanges"), safetyGoal: $0.note("safetyGoal"))
        }
        plan.judgements = state.rows("judgements").compactMap { row in
            guard let score = row.rating("score").value else { return nil }
            return SafetyJudgement(who: row.text("who"), score: score, reason: row.note("reason"))
        }
        let network = Dictionary(uniqueKeysWithValues: file.network.values.map { ($0.id.raw, $0) })
        plan.network = state.rows("network").map { row in
            let member = row.choice("member").flatMap { network[$0] }
            let name = row.text("name").isEmpty ? (member?.name ?? "") : row.text("name")
            let phone = row.text("phone").isEmpty ? (member?.phone ?? "") : row.text("phone")
            return SafetyNetworkEntry(member: member?.id, name: name, role: row.text("role"), phone: phone, agreed: row.flag("agreed"))
        }
        plan.rules = lines(state.note("rules"))
        plan.triggers = lines(state.note("triggers"))
        plan.bottomLines = lines(state.note("bottomLines"))
        plan.contingencies = state.rows("contingencies").map { Contingency(ifWhat: $0.text("ifWhat"), then: $0.text("then"), who: $0.text("who")) }
        plan.childView = state.note("childView")
        plan.agreedBy = splitList(state.text("agreedBy"))
        plan.agreedOn = state.day("agreedOn", today: context.today)
        // Agreed plans are active; until the family and network agree, the plan stays a draft.
        plan.status = plan.agreedBy.isEmpty ? .draft : .active
        if plan.status == .draft, revising != nil { plan.status = .active }
        add(plan.validate(today: context.today), to: &problems, spec: FormSpec(title: "", fields: safetyPlanFields(context, file: file)), context.strings)
        records.append(plan)
        return .records(family: file.family.id, records, createsFamily: false)
    }

    // MARK: Family Group Meetings

    static func meetingFields(_ context: AppContext, file: CaseFile?) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("date", s("field.meeting.date"), .date, required: true),
            FieldSpec("venue", s("field.meeting.venue"), .text),
            FieldSpec("languageUsed", s("field.meeting.language"), .choice(options(LanguagePreference.self, s))),
            FieldSpec("coordinator", s("field.meeting.coordinator"), .text, required: true),
            FieldSpec("attendees", s("field.meeting.attendees"), .rows(RowsSpec(rowTitle: s("field.meeting.attendee"), fields: [
                FieldSpec("name", s("field.attendee.name"), .text, required: true),
                FieldSpec("group", s("field.attendee.group"), .choice(options(FamilyGroupMeeting.Attendee.Group.self, s))),
                FieldSpec("attendance", s("field.attendee.attendance"), .choice(options(FamilyGroupMeeting.Attendee.Attendance.self, s))),
            ], summary: ["name", "group", "attendance"])), required: true),
            FieldSpec("childParticipation", s("field.meeting.child"), .choice(options(FamilyGroupMeeting.ChildParticipation.self, s))),
            FieldSpec("childParticipationNote", s("field.meeting.childNote"), .text),
            FieldSpec("sharingHeading", s("meeting.section.sharing"), .heading),
            FieldSpec("worries", s("field.meeting.worries"), .note(lines: 3)),
            FieldSpec("strengths", s("field.meeting.strengths"), .note(lines: 3)),
            FieldSpec("resources", s("field.meeting.resources"), .note(lines: 2)),
            FieldSpec("bottomLines", s("field.meeting.bottomLines"), .note(lines: 2)),
            FieldSpec("privateFamilyTime", s("field.meeting.privateTime"), .toggle),
            FieldSpec("planHeading", s("meeting.section.plan"), .heading),
            FieldSpec("familyPlan", s("field.meeting.plan"), .rows(RowsSpec(rowTitle: s("field.action"), fields: actionFields(context),
                                                                               summary: ["what", "who", "byWhen", "whoChecks"])), required: true),
            FieldSpec("agreement", s("field.meeting.agreement"), .choice(options(FamilyGroupMeeting.Agreement.self, s))),
            FieldSpec("agreementNote", s("field.meeting.agreementNote"), .text, hint: s("field.meeting.agreementNote.hint")),
            FieldSpec("contingency", s("field.meeting.contingency"), .note(lines: 2)),
            FieldSpec("monitoring", s("field.meeting.monitoring"), .note(lines: 2)),
            FieldSpec("planLead", s("field.meeting.planLead"), .text, required: true),
            FieldSpec("reviewDate", s("field.meeting.review"), .date, required: true),
            FieldSpec("distribution", s("field.meeting.distribution"), .text, hint: s("field.meeting.distribution.hint")),
        ]
    }

    static func meetingValues(file: CaseFile?, _ context: AppContext) -> [String: FieldValue] {
        let language = file?.family.language == .welsh ? LanguagePreference.welsh : .english
        var attendees: [[String: FieldValue]] = (file?.householdMembers.filter { !$0.isChild } ?? []).map {
            ["name": .text($0.fullName), "group": .choice("family"), "attendance": .choice("attended")]
        }
        attendees += (file.map { $0.ordered($0.network) } ?? []).map { ["name": .text($0.name), "group": .choice("network"), "attendance": .choice("attended")] }
        return [
            "date": .date(context.today), "languageUsed": .choice(language.rawValue), "attendees": .rows(attendees),
            "childParticipation": .choice(FamilyGroupMeeting.ChildParticipation.viewsShared.rawValue), "privateFamilyTime": .toggle(true),
            "agreement": .choice(FamilyGroupMeeting.Agreement.agreed.rawValue), "reviewDate": .date(context.today.adding(days: 42)),
        ]
    }

    static func meetingOutput(_ file: CaseFile, _ state: FormState, _ context: AppContext, _ ids: IDSource,
                              _ problems: inout [String: String]) -> FormOutput {
        let meeting = FamilyGroupMeeting(
            id: ids.id(), familyID: file.family.id, date: state.day("date", today: context.today) ?? context.today, venue: state.text("venue"),
            languageUsed: state.choice("languageUsed", as: LanguagePreference.self) ?? .english, coordinator: state.text("coordinator"),
            attendees: state.rows("attendees").map {
                FamilyGroupMeeting.Attendee(name: $0.text("name"), group: $0.choice("group", as: FamilyGroupMeeting.Attendee.Group.self) ?? .family,
                                            attendance: $0.choice("attendance", as: FamilyGroupMeeting.Attendee.Attendance.self) ?? .attended)
            },
            childParticipation: state.choice("childParticipation", as: FamilyGroupMeeting.ChildParticipation.self) ?? .viewsShared,
            childParticipationNote: state.text("childParticipationNote"), worries: state.note("worries"), strengths: state.note("strengths"),
            resources: state.note("resources"), bottomLines: state.note("bottomLines"), privateFamilyTime: state.flag("privateFamilyTime"),
            familyPlan: actions(state.rows("familyPlan"), context: context, prefix: "m", ids: ids),
            agreement: state.choice("agreement", as: FamilyGroupMeeting.Agreement.self) ?? .agreed, agreementNote: state.text("agreementNote"),
            contingency: state.note("contingency"), monitoring: state.note("monitoring"), planLead: state.text("planLead"),
            reviewDate: state.day("reviewDate", today: context.today), distribution: splitList(state.text("distribution")))
        add(meeting.validate(today: context.today), to: &problems, spec: FormSpec(title: "", fields: meetingFields(context, file: file)), context.strings)
        return .records(family: file.family.id, [meeting], createsFamily: false)
    }

    // MARK: Reviews

    static func reviewFields(_ context: AppContext, file: CaseFile?) -> [FieldSpec] {
        let s = context.strings
        var fields = [
            FieldSpec("date", s("field.review.date"), .date, required: true),
            FieldSpec("outcomeNote", s("field.review.outcomes"), .note(lines: 3), hint: s("field.review.outcomes.hint")),
        ]
        let goals = (file.map { $0.ordered($0.plans) } ?? []).filter { $0.status == .active }.flatMap { plan in plan.goals.map { (plan, $0) } }
        if !goals.isEmpty { fields.append(FieldSpec("goalsHeading", s("review.section.goals"), .heading)) }
        for (plan, goal) in goals {
            fields.append(FieldSpec("goal:\(plan.id.raw):\(goal.id)", goal.text.clipped(to: 60), .choice(options(Goal.Status.self, s))))
        }
        fields += [
            FieldSpec("decisionHeading", s("review.section.decision"), .heading),
            FieldSpec("decision", s("field.review.decision"), .choice(options(Review.Decision.self, s)), required: true, hint: s("field.review.decision.hint")),
            FieldSpec("notes", s("field.review.notes"), .note(lines: 3)),
            FieldSpec("nextReviewDate", s("field.review.next"), .date),
        ]
        return fields
    }

    static func reviewValues(file: CaseFile?, _ context: AppContext) -> [String: FieldValue] {
        var values: [String: FieldValue] = ["date": .date(context.today), "decision": .choice(Review.Decision.continue.rawValue),
                                            "nextReviewDate": .date(context.today.adding(months: 3))]
        for plan in (file.map { $0.ordered($0.plans) } ?? []) where plan.status == .active {
            for goal in plan.goals { values["goal:\(plan.id.raw):\(goal.id)"] = .choice(goal.status.rawValue) }
        }
        return values
    }

    static func reviewOutput(_ file: CaseFile, _ state: FormState, _ context: AppContext, _ ids: IDSource,
                             _ problems: inout [String: String]) -> FormOutput {
        let date = state.day("date", today: context.today) ?? context.today
        let decision = state.choice("decision", as: Review.Decision.self) ?? .continue
        var records: [any FamilyScoped] = []
        var updates: [Review.GoalUpdate] = []
        for var plan in file.ordered(file.plans) where plan.status == .active {
            var changed = false
            for index in plan.goals.indices {
                guard let status = state.choice("goal:\(plan.id.raw):\(plan.goals[index].id)", as: Goal.Status.self) else { continue }
                updates.append(Review.GoalUpdate(plan: plan.id, goal: plan.goals[index].id, status: status, note: ""))
                if plan.goals[index].status != status { plan.goals[index].status = status; changed = true }
            }
            if decision == .close { plan.status = .closed; changed = true }
            if changed { records.append(plan) }
        }
        let latestOutcomes = file.assessments.values.filter { $0.instrumentID == "kith.outcomes" && $0.date == date }.first
        let review = Review(id: ids.id(), familyID: file.family.id, date: date, outcomeCheck: latestOutcomes?.id, outcomeNote: state.note("outcomeNote"),
                            goalUpdates: updates, decision: decision, notes: state.note("notes"),
                            nextReviewDate: decision == .close ? nil : state.day("nextReviewDate", today: context.today))
        add(review.validate(today: context.today), to: &problems, spec: FormSpec(title: "", fields: reviewFields(context, file: file)), context.strings)
        if decision == .close, context.session?.policy.canClose(file.family) != true {
            problems["decision"] = context.strings("family.close.onlyLead")
        }
        records.insert(review, at: 0)
        let family = decision.applied(to: file.family, on: date, by: context.session?.user.id ?? User.ID(""))
        if family != file.family { records.append(family) }
        if decision == .close {
            records.append(Closure(id: ids.id(), familyID: file.family.id, date: date, reason: .goalsMet, note: state.note("notes")))
        }
        return .records(family: file.family.id, records, createsFamily: false)
    }
}
