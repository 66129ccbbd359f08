import Foundation
import Testing
import KithApp
import KithCore
import KithDemo
import KithStore
@testable import KithUI
import KithTestSupport

/// Files kept with a family's record: attached from the timeline (`a`), listed there,
/// written out byte for byte, removed with a reason.
@Suite(.serialized) struct AttachmentFlowTests {
    func showTimeline(_ app: AppHarness) throws {
        for _ in FamilyScreen.Section.allCases where try #require(app.model.screens.last?.family).section != .timeline {
            app.run(.nextSection)
        }
    }

    /// A scanned page: a PNG signature, then bytes of every value (NULs, escapes, UTF-8
    /// that isn't).
    func scan(_ count: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix(seed)
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    @Test func aFileAttachedIsReadBackByteForByte() throws {
        let app = try AppHarness(families: 20)
        app.run(.open)
        let id = try #require(app.model.screens.last?.family).file.family.id
        let folder = TemporaryDirectory("kith-files")
        let original = scan(300_000, seed: 42)
        let path = "\(folder.path)/Scan of letter.png"
        try Data(original).write(to: URL(fileURLWithPath: path))

        try showTimeline(app)
        app.run(.addMember)
        #expect(app.screen.contains("Attach a file"), "\(app.screen)")
        // Dropped on the terminal: quoted, with a space after.
        try app.focus("path"); app.type("'\(path)' ")
        try app.focus("title"); app.type("Letter from school")
        app.press(.ctrl("s"))
        #expect(app.screen.contains("File attached."), "\(app.screen)")
        let file = try app.store.readCase(id)
        let attachment = try #require(file.attachments.values.first)
        #expect(attachment.fileName == "Scan of letter.png" && attachment.mediaType == .png && attachment.size == original.count)
        #expect(attachment.title == "Letter from school" && attachment.addedOn == Fixture.today)
        // On the timeline with its type and size.
        let family = try #require(app.model.screens.last?.family)
        let entry = try #require(family.timeline.firstIndex { $0.ref == attachment.ref })
        #expect(family.timeline[entry].summary == "Letter from school · PNG picture, 293 KB")

        // Opened from the timeline; w writes a copy where asked.
        for _ in 0..<entry { app.run(.moveDown) }
        app.run(.open)
        #expect(app.screen.contains("Letter from school") && app.screen.contains("PNG picture, 293 KB"), "\(app.screen)")
        app.run(.writeCopy)
        #expect(app.screen.contains("Write out a copy"), "\(app.screen)")
        let copy = "\(folder.path)/copy.png"
        try app.focus("path"); app.press(.ctrl("u")); app.type(copy)
        app.press(.ctrl("s"))
        #expect(app.screen.contains("Copy written"), "\(app.screen)")
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: copy))) == original)
        var info = stat()
        #expect(stat(copy, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let events = try app.store.readCase(id).events.filter { $0.entity == attachment.ref }
        #expect(events.map(\.action) == [.create, .export], "the copy is on the record's history")

        // Removed with a reason: kept on the record, never written out again.
        app.run(.removeAttachment)
        try app.focus("reason"); app.type("Attached to the wrong family.")
        app.press(.ctrl("s"))
        #expect(app.screen.contains("File removed"), "\(app.screen)")
        let removed = try #require(try app.store.readCase(id).attachments[attachment.id])
        #expect(removed.removedOn == Fixture.today && removed.removedBy == app.store.user.id && removed.removalReason == "Attached to the wrong family.")
        #expect(throws: StoreError.attachmentRemoved(id: attachment.id.raw)) { try app.store.writeAttachment(attachment.id, family: id, to: copy + "2") }
        #expect(!FileManager.default.fileExists(atPath: copy + "2"))
        // And it stays as attached: the store refuses to change it.
        var changed = removed
        changed.title = "Something else"
        #expect(throws: StoreError.immutable(record: attachment.ref.description)) { try app.store.save([changed], family: id) }
    }

    /// What Kith refuses, and says why, naming the file and nothing else.
    @Test func programsHugeFilesAndDevicesAreRefused() throws {
        let app = try AppHarness(families: 20)
        let row = try #require(app.store.caseload().first)
        let folder = TemporaryDirectory("kith-files")
        let program = "\(folder.path)/setup.exe"
        try Data([0x4D, 0x5A, 0x90, 0x00] + Array(repeating: 0, count: 100)).write(to: URL(fileURLWithPath: program))
        #expect(throws: StoreError.attachmentType(file: "setup.exe")) { try app.store.attach(path: program, title: "", family: row.familyID, on: Fixture.today) }
        let huge = "\(folder.path)/big.pdf"
        try Data(Array("%PDF-1.7\n".utf8) + Array(repeating: 0x20, count: Attachment.maximumSize)).write(to: URL(fileURLWithPath: huge))
        #expect(throws: StoreError.attachmentTooLarge(file: "big.pdf", limit: Attachment.maximumSize)) {
            try app.store.attach(path: huge, title: "", family: row.familyID, on: Fixture.today)
        }
        #expect(throws: StoreError.attachmentType(file: "zero")) { try app.store.attach(path: "/dev/zero", title: "", family: row.familyID, on: Fixture.today) }
        #expect(throws: StoreError.io(file: "missing.pdf", operation: "stat", reason: "ENOENT")) {
            try app.store.attach(path: "\(folder.path)/missing.pdf", title: "", family: row.familyID, on: Fixture.today)
        }
        #expect(try app.store.readCase(row.familyID).attachments.isEmpty)
        // Text is kept only when it is text; hostile names are made safe.
        let escape = "\(folder.path)/\u{1B}[31mnote.txt"
        try Data("plain words\n".utf8).write(to: URL(fileURLWithPath: escape))
        let kept = try app.store.attach(path: escape, title: "", family: row.familyID, on: Fixture.today)
        #expect(kept.fileName == "[31mnote.txt" && kept.mediaType == .text && kept.title == "[31mnote.txt")
        #expect(Attachment.MediaType.detect(Array("plain\u{1B}[2J".utf8), fileName: "x.txt") == nil)
        #expect(Attachment.safeFileName("../../.ssh/\u{202E}gpj.exe") == "gpj.exe")
        #expect(AttachmentRequest.typedPath("/tmp/My\\ Scan.pdf ", home: "/h") == "/tmp/My Scan.pdf")
        #expect(AttachmentRequest.typedPath("~/a.pdf", home: "/h") == "/h/a.pdf")
    }

    @Test(arguments: [Strings.Language.en, .cy]) func attachGoldens(_ language: Strings.Language) throws {
        let app = try AppHarness(families: 20, language: language)
        app.run(.open)
        try showTimeline(app)
        app.run(.addMember)
        assertSnapshot(app.screen, named: "attach-form-\(language)-80x24")
    }
}

/// A small seeded generator for test bytes.
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
