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
        let lead = file.family.lead.flatMap { store.users[$0] }
        let team = store.teams[file.family.team]
        let contacts = FamilyPrintout.Contacts(worker: store.userName(file.family.lead), workerPhone: lead?.phone,
                                               team: team?.name ?? "", teamPhone: team?.phone, outOfHours: team?.outOfHours)
        let instruments = InstrumentLibrary(agencyFiles: Launch.agencyInstrumentFiles(store.layout.root))
        // Leaving the team needs the family's consent to share with that agency, today.
        var shared: (agency: String, consent: Consent.ID)?
        var sharing: FamilyPrintout.Sharing?
        if let agency = request.sharedWith {
            guard let consent = file.consentToShare(with: agency, on: today) else { throw StoreError.noConsentToShare(reference: file.family.reference) }
            shared = (agency, consent.id)
            sharing = FamilyPrintout.Sharing(agency: agency, consentGivenBy: file.giver(of: consent), consentGivenOn: consent.givenOn)
        }
        func document(_ language: Strings.Language) throws -> Document {
            var printout = FamilyPrintout(strings: Strings.shipped(language), printedOn: today, printedBy: store.user.displayName,
                                          contacts: contacts, instruments: instruments)
            printout.sharing = sharing
            guard let document = printout.document(for: request.record, in: file) else { throw StoreError.noSuchFamily(id: request.record.description) }
            return document
        }
        let format = Format(rawValue: request.format) ?? .txt
        func rendered(_ d: Document) -> String {
            switch format {
            case .md: d.markdown()
            case .html: d.html()
            case .txt: d.plainText()
            }
        }
        let text: String
        if request.bilingual {
            // Welsh first (on the left), as Welsh public bodies publish.
            let cy = try document(.cy), en = try document(.en)
            text = format == .html ? Document.bilingualHTML(cy, en) : Document.bilingualText(rendered(cy), rendered(en))
        } else {
            text = rendered(try document(language ?? (file.family.language == .welsh ? .cy : .en)))
        }
        try store.recordOutput(.print, of: request.record, family: request.family, format: request.format, sharedWith: shared)
        // Whatever the format, and wherever it goes (a file, a terminal, a browser): no
        // control or escape sequence, and no bidirectional override that could show a
        // phone number reordered (right-to-left names need none: HTML says dir="auto").
        return (TextSanitizer.text(text), file)
    }

    /// Writes the printout into `directory` (created 0700; the file 0600) and returns its path.
    public static func write(_ request: PrintRequest, store: Store, directory: String, today: Day, language: Strings.Language?) throws -> String {
        let (text, file) = try render(request, store: store, today: today, language: language)
        let stem = "\(file.family.reference)-\(request.record.kind.rawValue)-\(today.iso)\(request.bilingual ? "-cy-en" : "")"
        return try writeNew(text, stem: stem, extension: request.format, directory: directory, store: store)
    }

    /// The caseload CSV of `rows` (a number on the dashboard) written into `directory` as
    /// printouts are, recorded in the audit trail first; returns its path.
    public static func writeCaseload(_ rows: [CaseloadRow], store: Store, directory: String, strings: Strings, today: Day) throws -> String {
        try store.recordExport("caseload", fields: ["csv", "rows:\(rows.count)", "from:dashboard"])
        let text = CaseloadExport.csv(rows, strings: strings, today: today, name: store.userName)
        return try writeNew(text, stem: "caseload-\(today.iso)", extension: "csv", directory: directory, store: store)
    }

    /// Writes `text` into `directory` (created 0700; the file 0600) as `stem.extension`, or
    /// `stem-2.extension`… when that exists: two on one day each keep their own file.
    static func writeNew(_ text: String, stem: String, extension ext: String, directory: String, store: Store) throws -> String {
        let io = FileIO(root: store.layout.root)
        try io.makeDirectory(directory)
        var path = "\(directory)/\(stem).\(ext)"
        var n = 2
        while io.exists(path) {
            path = "\(directory)/\(stem)-\(n).\(ext)"
            n += 1
        }
        try io.writeAtomically(path, Array(text.utf8))
        return path
    }

    /// How long a printout stays in the store's `printouts/` folder: it is plain text about
    /// a family, there to be printed, not kept (the record and the audit entry are).
    public static let keptDays = 7

    /// Removes printouts older than `keptDays` from `directory` (every one with `all`);
    /// returns how many went.
    @discardableResult
    public static func removeOld(in directory: String, now: Date = Date(), all: Bool = false) -> Int {
        var removed = 0
        for (name, days) in kept(in: directory, now: now) where all || days > keptDays {
            if (try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")) != nil { removed += 1 }
        }
        return removed
    }

    /// The printouts in `directory` with their age in whole days, oldest first.
    public static func kept(in directory: String, now: Date = Date()) -> [(name: String, days: Int)] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { ["html", "md", "txt"].contains(($0 as NSString).pathExtension) }.compactMap { name in
            guard let modified = (try? manager.attributesOfItem(atPath: "\(directory)/\(name)"))?[.modificationDate] as? Date else { return nil }
            return (name, Int(now.timeIntervalSince(modified) / 86_400))
        }.sorted { ($1.days, $0.name) < ($0.days, $1.name) }
    }

    /// Finds a record by id, or by a name for the current one: `safety-plan`, `plan`, `meeting`.
    public static func resolve(_ record: String, in file: CaseFile) -> EntityRef? {
        switch record.lowercased() {
        case "safety-plan", "safetyplan": return file.currentSafetyPlan?.ref
        case "plan", "family-plan": return file.ordered(file.plans).last(where: { $0.status == .active })?.ref ?? file.ordered(file.plans).last?.ref
        // The latest by date; of several on one day, the one recorded last.
        case "meeting": return file.ordered(file.meetings).last { m in !file.meetings.values.contains { $0.date > m.date } }?.ref
        case "assessment":
            let complete = file.ordered(file.assessments).filter(\.isComplete)
            return complete.last { a in !complete.contains { $0.date > a.date } }?.ref
        default:
            if file.safetyPlans[SafetyPlan.ID(record)] != nil { return EntityRef(kind: .safetyPlan, id: record) }
            if file.plans[Plan.ID(record)] != nil { return EntityRef(kind: .plan, id: record) }
            if file.meetings[FamilyGroupMeeting.ID(record)] != nil { return EntityRef(kind: .meeting, id: record) }
            if file.assessments[Assessment.ID(record)] != nil { return EntityRef(kind: .assessment, id: record) }
            return nil
        }
    }
}
