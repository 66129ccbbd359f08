import KithCore

extension FormCatalog {
    // MARK: Contact notes

    static func noteFields(_ context: AppContext, file: CaseFile?) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("contactKind", s("field.note.kind"), .choice(options(ContactNote.Kind.self, s))),
            FieldSpec("date", s("field.note.date"), .date, required: true),
            FieldSpec("seen", s("field.note.seen"), .multiChoice(peopleOptions(file, context: context))),
            FieldSpec("childSeenAlone", s("field.note.seenAlone"), .toggle),
            FieldSpec("text", s("field.note.text"), .note(lines: 7), required: true, hint: s("field.note.text.hint")),
            FieldSpec("significant", s("field.note.significant"), .toggle),
            FieldSpec("followUps", s("field.note.followUps"), .rows(RowsSpec(rowTitle: s("field.note.followUp"), fields: actionFields(context),
                                                                                  summary: ["what", "who", "byWhen"]))),
        ]
    }

    static func noteOutput(_ file: CaseFile, _ state: FormState, _ context: AppContext, _ ids: IDSource,
                           _ problems: inout [String: String]) -> FormOutput {
        let note = ContactNote(id: ids.id(), familyID: file.family.id, contactKind: state.choice("contactKind", as: ContactNote.Kind.self) ?? .visit,
                               date: state.day("date", today: context.today) ?? context.today, seen: state.multi("seen").map(Person.ID.init),
                               childSeenAlone: state.flag("childSeenAlone"), text: state.note("text"),
                               followUps: actions(state.rows("followUps"), context: context, prefix: "f", ids: ids),
                               significant: state.flag("significant") ? true : nil)
        add(note.validate(today: context.today), to: &problems, spec: FormSpec(title: "", fields: noteFields(context, file: file)), context.strings)
        return .records(family: file.family.id, [note], createsFamily: false)
    }

    // MARK: Flags and addenda

    static func describe(_ ref: EntityRef, in file: CaseFile?, _ s: Strings) -> String {
        ref.kind == .family ? s("flag.onFamily") : s("flag.onRecord", ["kind": s(ref.kind.labelKey)])
    }

    static func flagFields(_ context: AppContext, target: EntityRef, file: CaseFile?) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("target", "", .info([describe(target, in: file, s)])),
            FieldSpec("note", s("field.flag.note"), .note(lines: 5), required: true, hint: s("field.flag.note.hint")),
        ]
    }

    static func flagOutput(_ file: CaseFile, _ target: EntityRef, _ state: FormState, _ context: AppContext, _ ids: IDSource) -> FormOutput {
        let flag = Flag(id: ids.id(), familyID: file.family.id, target: target, note: state.note("note"),
                        raisedBy: context.session?.user.id ?? User.ID(""), raisedOn: context.today)
        return .records(family: file.family.id, [flag], createsFamily: false)
    }

    static func resolveFields(_ context: AppContext, flag: Flag?) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("flag", "", .info([s("flag.raised", ["name": context.session?.name(flag?.raisedBy) ?? "", "date": flag.map { s.date($0.raisedOn) } ?? ""]),
                                         flag?.note ?? ""])),
            FieldSpec("response", s("field.flag.response"), .note(lines: 4), hint: s("field.flag.response.hint")),
        ]
    }

    static func resolveOutput(_ file: CaseFile, _ flag: Flag, _ state: FormState, _ context: AppContext) -> FormOutput {
        var resolved = flag
        resolved.resolvedBy = context.session?.user.id
        resolved.resolvedOn = context.today
        resolved.response = state.optionalText("response")
        return .records(family: file.family.id, [resolved], createsFamily: false)
    }

    static func addendumFields(_ context: AppContext, target: EntityRef) -> [FieldSpec] {
        let s = context.strings
        return [
            FieldSpec("target", "", .info([s("addendum.explain", ["kind": s(target.kind.labelKey)])])),
            FieldSpec("text", s("field.addendum.text"), .note(lines: 6), required: true),
        ]
    }

    static func addendumOutput(_ file: CaseFile, _ target: EntityRef, _ state: FormState, _ context: AppContext, _ ids: IDSource) -> FormOutput {
        let addendum = Addendum(id: ids.id(), familyID: file.family.id, target: target, author: context.session?.user.id ?? User.ID(""),
                                date: context.today, text: state.note("text"))
        return .records(family: file.family.id, [addendum], createsFamily: false)
    }
}
