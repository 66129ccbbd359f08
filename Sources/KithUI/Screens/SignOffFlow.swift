import KithCore

/// What `o` does on a record: a lead answers the request waiting on it; a worker sends it
/// for sign-off. Shared by the family's timeline and the record screen.
enum SignOffFlow {
    static func action(for ref: EntityRef, file: CaseFile, context: AppContext) -> ScreenAction {
        let s = context.strings
        guard let policy = context.session?.policy else { return .status(s("signOff.notThisKind"), .info) }
        let family = file.family
        // The sign-off record itself: answer it, or send its record again.
        if ref.kind == .signOff, let request = file.signOffs[SignOff.ID(ref.id)] {
            if request.isPending && policy.canSignOff(family) { return form(.decideSignOff(family.id, request.id), file, context) }
            if request.state == .returned && policy.canRequestSignOff(family) {
                return request.proposedClosure != nil ? action(closing: file, context: context) : action(for: request.target, file: file, context: context)
            }
            return .status(s(request.isPending ? "signOff.stillPending" : "signOff.alreadyAnswered"), .info)
        }
        if policy.canSignOff(family) {
            guard let request = file.pendingSignOff(for: ref) else { return .status(s("signOff.nothingWaiting"), .info) }
            return form(.decideSignOff(family.id, request.id), file, context)
        }
        guard policy.canRequestSignOff(family) else { return .status(s("signOff.onlyWorkers"), .info) }
        if let refusal = file.signOffRefusal(for: ref) { return .status(s(refusal), .info) }
        return form(.requestSignOff(family.id, ref), file, context)
    }

    /// `C` from someone who may add to the case but not close it: propose the closure.
    static func action(closing file: CaseFile, context: AppContext) -> ScreenAction {
        let s = context.strings
        guard context.session?.policy.canProposeClosure(file.family) == true else { return .status(s("family.close.onlyLead"), .error) }
        if file.signOffs.values.contains(where: { $0.isPending && $0.proposedClosure != nil }) { return .status(s("signOff.closureAlreadyProposed"), .info) }
        return form(.proposeClosure(file.family.id), file, context)
    }

    private static func form(_ purpose: FormPurpose, _ file: CaseFile, _ context: AppContext) -> ScreenAction {
        .push(.form(FormScreen(purpose: purpose, file: file, context: context)))
    }
}
