import ArgumentParser
import Foundation
import KithApp
import KithCore
import KithStore

/// `kith export`: the caseload for a spreadsheet. Every export is recorded in the audit
/// trail before it is written.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export the caseload for a spreadsheet (every export is audited).",
                                                    subcommands: [Caseload.self, Return.self, Subject.self])

    struct Caseload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every family you may see, with the caseload's columns, as CSV.",
            discussion: "Cells a spreadsheet would run as formulas start with an apostrophe; sensitive families are listed but not named.")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: "csv.") var format = "csv"
        @Option(help: ArgumentHelp("Write to this file (default: standard output).", valueName: "file")) var output: String?
        @Option(help: ArgumentHelp("Headings and labels in en or cy (default: your language).", valueName: "code")) var lang: String?

        func validate() throws {
            guard format == "csv" else { throw ValidationError("--format must be csv") }
            if let lang, Strings.Language(rawValue: lang) == nil { throw ValidationError("--lang must be en or cy") }
        }

        func run() throws {
            try storeOptions.withStore { store, s in
                let rows = caseloadShowingProgress(store, s)
                let strings = chosen(lang, s)
                try store.recordExport("caseload", fields: ["csv", "rows:\(rows.count)"])
                let writing = ProgressReporter.standardError { s("cli.export.progress.writing", ["done": String($0), "total": String($1)]) }
                let text = CaseloadExport.csv(rows, strings: strings, today: Launch.today(), name: store.userName, progress: writing.update)
                writing.finish()
                if let output {
                    try FileIO(root: store.layout.root).writeForPerson(output, Array(text.utf8))
                    FileHandle.standardError.write(Data((s("cli.export.wrote", ["path": output, "n": String(rows.count)]) + "\n").utf8))
                } else {
                    print(text, terminator: "")
                }
            }
        }
    }

    struct Return: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The quarter's return for commissioners, as CSV and Markdown (team leads).",
            discussion: "Families and children worked with by service level, referrals, openings, closures by reason, steps between levels, and how outcomes moved. No family is named.")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("The quarter, e.g. 2026Q4.", valueName: "quarter")) var quarter: String
        @Option(help: ArgumentHelp("Write PREFIX.csv and PREFIX.md (default: kith-return-QUARTER in this folder).", valueName: "prefix")) var output: String?
        @Option(help: ArgumentHelp("Headings and labels in en or cy (default: your language).", valueName: "code")) var lang: String?

        func validate() throws {
            guard QuarterReturn.parse(quarter) != nil else { throw ValidationError("--quarter must be a year and a quarter, e.g. 2026Q4") }
            if let lang, Strings.Language(rawValue: lang) == nil { throw ValidationError("--lang must be en or cy") }
        }

        func run() throws {
            try storeOptions.withStore { store, s in
                guard store.user.role == .teamLead else { throw StoreError.notPermitted(action: "export return") }
                let (year, number) = QuarterReturn.parse(quarter)!
                let strings = chosen(lang, s)
                let rows = caseloadShowingProgress(store, s)
                let report = QuarterReturn(rows: rows, year: year, quarter: number, measures: TeamDashboard.followedMeasures())
                let name = { (_: String, measure: String) in strings.has("dashboard.measure.\(measure)") ? strings("dashboard.measure.\(measure)") : measure }
                let prefix = output ?? "kith-return-\(year)Q\(number)"
                try store.recordExport("return", fields: ["\(year)Q\(number)", "csv", "md"])
                let io = FileIO(root: store.layout.root)
                try io.writeForPerson(prefix + ".csv", Array(report.csv(strings: strings, measureName: name).utf8))
                try io.writeForPerson(prefix + ".md", Array(report.markdown(strings: strings, measureName: name).utf8))
                print(s("cli.export.returnWrote", ["csv": prefix + ".csv", "md": prefix + ".md"]))
            }
        }
    }

    struct Subject: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Everything held about a family or a person, for a subject access request (team leads).",
            discussion: "Writes PREFIX.html (to read and print) and PREFIX.json (for machines): every record, every change to it, and who opened, printed or exported the family on this laptop. The export is recorded in the family's history and the audit trail first.")

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("The family's reference, e.g. K-7Q3M2X.", valueName: "ref")) var family: String
        @Option(help: ArgumentHelp("Only what concerns this household member: their id, or their full name as recorded.", valueName: "id")) var person: String?
        @ArgumentParser.Flag(help: "Replace the names of other people (network, professionals, and for --person the rest of the household).") var redactThirdParties = false
        @Option(help: ArgumentHelp("Write PREFIX.html and PREFIX.json (default: kith-subject-REF in this folder).", valueName: "prefix")) var output: String?
        @Option(help: ArgumentHelp("Headings in en or cy (default: your language).", valueName: "code")) var lang: String?

        func validate() throws {
            if let lang, Strings.Language(rawValue: lang) == nil { throw ValidationError("--lang must be en or cy") }
        }

        func run() throws {
            try storeOptions.withStore { store, s in
                guard let row = store.family(reference: family) else { throw StoreError.noSuchFamily(id: family) }
                var subject: Person.ID?
                if let person {
                    let file = try store.readCase(row.familyID)
                    let wanted = person.lowercased()
                    let matches = file.people.values.filter { $0.id.raw.lowercased() == wanted || $0.fullName.lowercased() == wanted }
                    guard matches.count == 1, let found = matches.first else {
                        throw LaunchError(message: s(matches.isEmpty ? "cli.subject.noPerson" : "cli.subject.manyPeople",
                                                ["ref": row.reference, "ids": matches.map(\.id.raw).sorted().joined(separator: ", ")]))
                    }
                    subject = found.id
                }
                let strings = chosen(lang, s)
                let report = try store.subjectAccess(family: row.familyID, person: subject, redactThirdParties: redactThirdParties)
                let names = { (raw: String) in store.users[User.ID(raw)]?.displayName }
                let prefix = output ?? "kith-subject-\(row.reference)"
                let io = FileIO(root: store.layout.root)
                try io.writeForPerson(prefix + ".html", Array(report.html(strings: strings, today: Launch.today(), producedBy: store.user.displayName, userName: names).utf8))
                try io.writeForPerson(prefix + ".json", Array(report.json(today: Launch.today(), userName: names).utf8))
                print(s("cli.subject.wrote", ["html": prefix + ".html", "json": prefix + ".json", "n": String(report.items.count)]))
            }
        }
    }
}

/// The language `--lang` asks for, else the user's.
private func chosen(_ lang: String?, _ s: Strings) -> Strings {
    lang.flatMap(Strings.Language.init(rawValue:)).map(Strings.shipped) ?? s
}

/// Every family the user may see. Rows a sync changed are read again first, which can take
/// a while: the terminal says how far it has got.
private func caseloadShowingProgress(_ store: Store, _ s: Strings) -> [CaseloadRow] {
    let reading = ProgressReporter.standardError { s("cli.export.progress.reading", ["done": String($0), "total": String($1)]) }
    defer { reading.finish() }
    return store.caseload(progress: reading.update)
}
