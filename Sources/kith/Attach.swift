import ArgumentParser
import Foundation
import KithApp
import KithCore
import KithStore

/// `kith attach`: files kept with a family's record.
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach", abstract: "Attach a file to a family's record; list, write out or remove attached files.",
        subcommands: [Add.self, List.self, Get.self, Remove.self], defaultSubcommand: Add.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach a file (PDF, pictures, Word, OpenDocument, RTF or text; up to 8 MB), sealed into the family's record.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("The family's reference, e.g. K-7Q3M2X.", valueName: "ref")) var family: String
        @Option(help: ArgumentHelp("What it is (default: the file's name).", valueName: "text")) var title = ""
        @Argument(help: ArgumentHelp("The file to attach.", valueName: "file")) var file: String

        func run() throws {
            try storeOptions.withStore { store, s in
                let row = try familyRow(store, family)
                let attachment = try store.attach(path: file, title: title, family: row.familyID, on: Launch.today())
                print(s("cli.attach.added", ["id": attachment.id.raw, "ref": row.reference, "type": s(attachment.mediaType.labelKey),
                                             "size": s.bytes(attachment.size)]))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a family's attached files (id, date, type, size, title).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("The family's reference.", valueName: "ref")) var family: String

        func run() throws {
            try storeOptions.withStore { store, s in
                let row = try familyRow(store, family)
                let file = try store.openCase(row.familyID)
                for a in file.ordered(file.attachments) {
                    let state = a.isRemoved ? " · " + s("cli.attach.removed") : ""
                    // One line each; the title is the worker's words, kept to one line.
                    print(TextSanitizer.line("\(a.id.raw)  \(a.addedOn.iso)  \(s(a.mediaType.labelKey)), \(s.bytes(a.size))  \(a.title)\(state)"))
                }
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write out a decrypted copy of an attached file (recorded in the family's history).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("The family's reference.", valueName: "ref")) var family: String
        @Argument(help: ArgumentHelp("The attachment's id (kith attach list).", valueName: "id")) var id: String
        @Option(help: ArgumentHelp("Where to write it.", valueName: "file")) var output: String

        func run() throws {
            try storeOptions.withStore { store, s in
                let row = try familyRow(store, family)
                try store.writeAttachment(Attachment.ID(id), family: row.familyID, to: output)
                print(s("cli.attach.wrote", ["path": output]))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an attached file, saying why (who, when and why are kept).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("The family's reference.", valueName: "ref")) var family: String
        @Argument(help: ArgumentHelp("The attachment's id.", valueName: "id")) var id: String
        @Option(help: ArgumentHelp("Why it is removed.", valueName: "text")) var reason: String

        func validate() throws {
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must say why") }
        }

        func run() throws {
            try storeOptions.withStore { store, s in
                let row = try familyRow(store, family)
                try store.removeAttachment(Attachment.ID(id), family: row.familyID, reason: reason, on: Launch.today())
                print(s("cli.attach.removedDone", ["id": id]))
            }
        }
    }
}

private func familyRow(_ store: Store, _ reference: String) throws -> CaseloadRow {
    guard let row = store.family(reference: reference) else { throw StoreError.noSuchFamily(id: reference) }
    return row
}
