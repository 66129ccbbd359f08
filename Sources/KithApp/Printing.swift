import Foundation
import KithCore
import KithStore
import KithUI

/// Printouts for families: built from the case file in the family's language, written as
/// one file, and recorded in the family's history and the audit trail.
public enum Printing {
    public enum Format: String, CaseIterable, Sendable {
        case md, html, txt
    }

    /// The printout as text in `format`.
    public static func render(_ request: PrintRequest, store: Store, today: Day, language: Strings.Language?) throws -> (text: String, file: CaseFile) {
        let file = try store.openCase(request.family)
        let strings = Strings.shipped(language ?? (file.family.language == .welsh ? .cy : .en))
        let printout = FamilyPrintout(strings: strings, printedOn: today, printedBy: store.user.displayName, worker: store.userName(file.family.lead))
        guard let document = printout.document(for: request.record, in: file) else {
            throw StoreError.noSuchFamily(id: request.record.description)
        }
        let text: String
        switch Format(rawValue: request.format) ?? .txt {
        case .md: text = document.markdown()
        case .html: text = document.html()
        case .txt: text = document.plainText()
        }
        try store.recordOutput(.print, of: request.record, family: request.family, format: request.format)
        return (text, file)
    }

    /// Writes the printout into `directory` (created 0700; the file 0600) and returns its path.
    public static func write(_ request: PrintRequest, store: Store, directory: String, today: Day, language: Strings.Language?) throws -> String {
        let (text, file) = try render(request, store: store, today: today, language: language)
        try FileIO(root: store.layout.root).makeDirectory(directory)
        let name = "\(file.family.reference)-\(request.record.kind.rawValue)-\(today.iso).\(request.format)"
        let path = "\(directory)/\(name)"
        try FileIO(root: store.layout.root).writeAtomically(path, Array(text.utf8))
        return path
    }

    /// Finds a record by id, or by a name for the current one: `safety-plan`, `plan`, `meeting`.
    public static func resolve(_ record: String, in file: CaseFile) -> EntityRef? {
        switch record.lowercased() {
        case "safety-plan", "safetyplan": return file.currentSafetyPlan?.ref
        case "plan", "family-plan": return file.ordered(file.plans).last(where: { $0.status == .active })?.ref ?? file.ordered(file.plans).last?.ref
        case "meeting": return file.meetings.values.max { $0.date < $1.date }?.ref
        default:
            if file.safetyPlans[SafetyPlan.ID(record)] != nil { return EntityRef(kind: .safetyPlan, id: record) }
            if file.plans[Plan.ID(record)] != nil { return EntityRef(kind: .plan, id: record) }
            if file.meetings[FamilyGroupMeeting.ID(record)] != nil { return EntityRef(kind: .meeting, id: record) }
            return nil
        }
    }
}
