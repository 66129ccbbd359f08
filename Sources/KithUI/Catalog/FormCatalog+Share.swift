import KithCore

extension FormCatalog {
    /// The print formats a shared printout can take (HTML first: it keeps the layout).
    enum ShareFormat {
        static let html = "html"
        static let formats = ["html", "txt", "md"]
    }

    /// Sharing a printout with another agency: which agency, in which format. The form
    /// lists the agencies the family's consent in force covers, so the worker sees before
    /// typing whether there is one.
    static func shareFields(_ context: AppContext, file: CaseFile?) -> [FieldSpec] {
        let s = context.strings
        let consents = (file.map { $0.ordered($0.consents) } ?? []).filter { $0.scope == .informationSharing && $0.isInForce(on: context.today) }
        let named = consents.flatMap(\.agencyList)
        let covered: String
        if consents.contains(where: { $0.agencyList.isEmpty }) {
            covered = s("share.coveredAny")
        } else if named.isEmpty {
            covered = s("share.coveredNone")
        } else {
            covered = s("share.covered", ["agencies": named.joined(separator: ", ")])
        }
        let formats = [PickList.Option(id: "html", label: s("print.html")), PickList.Option(id: "txt", label: s("print.text")),
                       PickList.Option(id: "md", label: s("print.markdown"))]
        return [
            FieldSpec("explain", "", .info([s("share.explain"), covered])),
            FieldSpec("agency", s("field.share.agency"), .text, required: true),
            FieldSpec("format", s("field.share.format"), .choice(formats)),
        ]
    }

    /// Refused here, with the reason on the agency field, when no consent in force covers
    /// the agency typed (the printing itself checks again: the store's rule, not only the form's).
    static func shareOutput(_ file: CaseFile, _ ref: EntityRef, _ state: FormState, _ context: AppContext,
                            _ problems: inout [String: String]) -> FormOutput {
        let agency = state.text("agency").trimmingCharacters(in: .whitespaces)
        if !agency.isEmpty, file.consentToShare(with: agency, on: context.today) == nil {
            problems["agency"] = context.strings("share.noConsent")
        }
        let format = state.choice("format").flatMap { ShareFormat.formats.contains($0) ? $0 : nil } ?? ShareFormat.html
        return .share(PrintRequest(family: file.family.id, record: ref, format: format, sharedWith: agency))
    }
}
