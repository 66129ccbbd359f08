import KithCore

/// Supervision, and sending work to the team lead and answering it.
extension FormCatalog {
    static func supervisionFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("date", s("field.supervision.date"), .date, required: true),
            FieldSpec("worker", s("field.supervision.worker"), .choice(teamOptions(context)), required: true),
            FieldSpec("discussed", s("field.supervision.discussed"), .note(lines: 5), required: true),
            FieldSpec("decisions", s("field.supervision.decisions"), .note(lines: 3)),
            FieldSpec("actions", s("field.supervision.actions"), .rows(RowsSpec(rowTitle: s("field.action"), fields: actionFields(context),
                                                                                  summary: ["what", "who", "byWhen", "whoChecks"]))),
        ]
    }

    static func supervisionOutput(_ file: CaseFile, _ state: FormState, _ context: AppContext, _ ids: IDSource) -> FormOutput {
        let supervision = Supervision(id: ids.id(), familyID: file.family.id, date: state.day("date", today: context.today) ?? context.today,
                                      worker: User.ID(state.choice("worker") ?? ""), discussed: state.note("discussed"),
                                      decisions: state.note("decisions"), actions: actions(state.rows("actions"), context: context, prefix: "v", ids: ids))
        return .records(family: file.family.id, [supervision], createsFamily: false)
    }

    /// The record as its timeline line reads ("Support plan · Keeping to routines · 3 goals").
    static func describeRecord(_ ref: EntityRef, in file: CaseFile?, _ context: AppContext) -> String {
        guard let file, let entry = TimelineEntry.entries(of: file, context: context).first(where: { $0.ref == ref }) else {
            return context.strings(ref.kind.labelKey)
        }
        return "\(entry.kind) · \(context.strings.date(entry.day)) · \(entry.summary)"
    }

    static func requestSignOffFields(_ context: AppContext, target: EntityRef, file: CaseFile?) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("target", "", .info([s("signOff.explain"), describeRecord(target, in: file, context)])),
            FieldSpec("note", s("field.signOff.note"), .note(lines: 4), hint: s("field.signOff.note.hint")),
        ]
    }

    static func requestSignOffOutput(_ file: CaseFile, _ target: EntityRef, _ state: FormState, _ context: AppContext, _ ids: IDSource) -> FormOutput {
        let me = context.session?.user.id ?? User.ID("")
        let request = SignOff(id: ids.id(), familyID: file.family.id, target: target, requestedBy: me, requestedOn: context.today, note: state.note("note"))
        return .records(family: file.family.id, [request] + seenReturns(of: target, file, me, context), createsFamily: false)
    }

    /// Sending something again settles its earlier return: the worker has seen it.
    static func seenReturns(of target: EntityRef, _ file: CaseFile, _ me: User.ID, _ context: AppContext) -> [SignOff] {
        file.signOffs.values.filter { $0.target == target && $0.requestedBy == me && $0.isReturnedUnseen }.map {
            var seen = $0
            seen.seenOn = context.today
            return seen
        }
    }

    static func proposeClosureFields(_ context: AppContext) -> [FieldSpec] {
        let s = context.strings
        return [FieldSpec("intro", "", .info([s("signOff.closure.explain")]))] + closureFields(context).dropFirst()
            + [FieldSpec("message", s("field.signOff.note"), .note(lines: 3), hint: s("field.signOff.note.hint"))]
    }

    static func proposeClosureOutput(_ file: CaseFile, _ state: FormState, _ context: AppContext, _ ids: IDSource) -> FormOutput {
        let me = context.session?.user.id ?? User.ID("")
        let closure = SignOff.ProposedClosure(date: state.day("date", today: context.today) ?? context.today,
                                              reason: state.choice("reason", as: Closure.Reason.self) ?? .other, note: state.note("note"))
        let request = SignOff(id: ids.id(), familyID: file.family.id, target: file.family.ref, requestedBy: me, requestedOn: context.today,
                              note: state.note("message"), proposedClosure: closure)
        return .records(family: file.family.id, [request] + seenReturns(of: file.family.ref, file, me, context), createsFamily: false)
    }

    static func decideSignOffFields(_ context: AppContext, request: SignOff?, file: CaseFile?) -> [FieldSpec] {
        let s = context.strings
        var about: [String] = []
        if let request {
            if let closure = request.proposedClosure {
                about.append(s("signOff.closureProposed") + " · " + s.date(closure.date) + " · " + s(closure.reason.labelKey))
                if !closure.note.isEmpty { about.append(closure.note) }
            } else {
                about.append(describeRecord(request.target, in: file, context))
            }
            about.append(s("signOff.sent", ["name": context.session?.name(request.requestedBy) ?? "", "date": s.date(request.requestedOn)]))
            if !request.note.isEmpty { about.append(request.note) }
        }
        return [
            FieldSpec("request", "", .info(about)),
            FieldSpec("decision", s("field.signOff.decision"), .choice(options(SignOff.State.self, s, except: [.pending])), required: true),
            FieldSpec("comment", s("field.signOff.comment"), .note(lines: 4), hint: s("field.signOff.comment.hint")),
        ]
    }

    static func decideSignOffOutput(_ file: CaseFile, _ request: SignOff, _ state: FormState, _ context: AppContext, _ ids: IDSource,
                                    _ problems: inout [String: String]) -> FormOutput {
        let decision = state.choice("decision", as: SignOff.State.self) ?? .approved
        let comment = state.note("comment")
        if decision == .returned && comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems["comment"] = context.strings("signOff.returnNeedsComment")
        }
        if !request.isPending { problems["decision"] = context.strings("signOff.alreadyAnswered") }
        let decided = request.decided(decision, by: context.session?.user.id ?? User.ID(""), on: context.today, comment: comment)
        var records: [any FamilyScoped] = [decided]
        // Approving a proposed closure closes the case, in the same save.
        if decision == .approved, let proposal = request.proposedClosure, file.family.status != .closed {
            var family = file.family
            family.status = .closed
            records = [Closure(id: ids.id(), familyID: family.id, date: proposal.date, reason: proposal.reason, note: proposal.note), family, decided]
        }
        return .records(family: file.family.id, records, createsFamily: false)
    }
}
