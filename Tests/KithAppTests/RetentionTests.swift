import Foundation
import Testing
import KithApp
import KithCore
@testable import KithStore
import KithTestSupport
import KithDemo
import KithUI

/// Retention: a team lead's rule says how long closed families are kept; what is due is
/// removed for good, leaving a tombstone and no byte of what was written about the family.
@Suite(.serialized) struct RetentionTests {
    let today = Fixture.today

    /// Every file under `root` whose raw bytes hold `word` (UTF-8), relative paths.
    func filesHolding(_ word: String, under root: String) -> [String] {
        let wanted = Array(word.utf8)
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return files.filter { name in
            guard let data = FileManager.default.contents(atPath: "\(root)/\(name)") else { return false }
            return Array(data).firstRange(of: wanted) != nil
        }.sorted()
    }

    /// A closed family of the lead's team with distinctive synthetic names, a note, an
    /// attached letter, a printout, a draft, and a closure `closedYearsAgo` years back.
    func closedFamily(_ store: Store, id: String, surname: String, closedYearsAgo: Int) throws -> Family.ID {
        var family = Fixture.family(id, lead: store.user.id, name: "\(surname) family")
        family.team = store.user.team
        var parent = Fixture.parent(family.id)
        parent.familyName = surname
        try store.createFamily(family, with: [Fixture.child(family.id, surname: surname), parent,
                                              Fixture.note(family.id, text: "Visit to the \(surname) family")])
        try store.attach(bytes: Array("A letter about Zebediah \(surname).\n".utf8), fileName: "letter.txt", title: "Letter", family: family.id, on: today)
        _ = try Printing.write(PrintRequest(family: family.id, record: family.ref, format: "html"), store: store, directory: store.layout.printouts,
                               today: today, language: .en)
        try store.saveDraft(Draft(id: Draft.ID("D\(id)"), author: store.user.id, family: family.id, form: "contactNote", savedAt: 1,
                                  payload: .object(["text": .string("Half a note about Marmaduke \(surname)")])))
        family.status = .closed
        try store.save([Closure(id: Closure.ID("CL\(id)"), familyID: family.id, date: today.adding(months: -12 * closedYearsAgo), reason: .goalsMet), family],
                       family: family.id)
        return family.id
    }

    @Test func aFamilyRemovedUnderTheRuleLeavesNoByteOfItsText() throws {
        let app = try AppHarness(families: 20)
        let store = app.store
        let old = try closedFamily(store, id: "OLDFAM0000000001", surname: "Quillfeather", closedYearsAgo: 7)
        let recent = try closedFamily(store, id: "NEWFAM0000000001", surname: "Brackenridge", closedYearsAgo: 2)
        let root = store.layout.root

        // No rule, nothing due. Six years: the family closed seven years ago is; the one
        // closed two years ago is not.
        #expect(try store.retentionDue(today: today).isEmpty)
        try store.setRetentionRule(RetentionRule(yearsAfterClosure: 6))
        let due = try store.retentionDue(today: today)
        #expect(due.contains { $0.family == old && $0.years == 6 } && !due.contains { $0.family == recent })
        #expect(due.allSatisfy { $0.closedOn.adding(months: 72) <= today })
        // A kind of record the family holds, kept longer, keeps the family; one it doesn't hold doesn't.
        try store.setRetentionRule(RetentionRule(yearsAfterClosure: 6, byKind: ["attachment": 10]))
        #expect(try !store.retentionDue(today: today).contains { $0.family == old })
        try store.setRetentionRule(RetentionRule(yearsAfterClosure: 6, byKind: ["safetyPlan": 15]))
        #expect(try store.retentionDue(today: today).contains { $0.family == old })

        // Before: the store's plain files (the printout) hold the name, so the search can fail.
        #expect(!filesHolding("Quillfeather", under: root).isEmpty)
        let log = try [UInt8](Data(contentsOf: URL(fileURLWithPath: store.layout.family(old.raw))))
        let entries = try FrameFile.read(log, kind: .family, owner: old.raw, keyring: store.keyring).payloads
        let reference = try store.readCase(old).family.reference

        let tombstone = try store.removeForRetention(old, today: today)
        #expect(tombstone == Tombstone(reference: reference, on: today, by: store.user.id.raw, rule: "6y; safetyPlan 15"))
        #expect(store.tombstones == [tombstone])
        #expect(!FileManager.default.fileExists(atPath: store.layout.family(old.raw)))
        #expect(store.row(old) == nil && store.family(reference: reference) == nil)
        #expect(throws: StoreError.self) { try store.readCase(old) }
        // The recent family keeps everything of its own.
        #expect(try store.readCase(recent).attachments.count == 1)
        #expect(store.allDrafts().contains { $0.family == recent } && !store.allDrafts().contains { $0.family == old })
        let printouts = try FileManager.default.contentsOfDirectory(atPath: store.layout.printouts)
        #expect(printouts.contains { $0.hasPrefix(Family.reference(for: recent)) } && !printouts.contains { $0.hasPrefix(reference) })
        // Entries sent again from another laptop do not bring it back.
        #expect(try store.mergeFamilyEntries(old, entries) == 0)
        #expect(!FileManager.default.fileExists(atPath: store.layout.family(old.raw)))

        // After: no file of the store holds the removed family's name, nor a name that
        // is its id; the recent family's printout still holds its own (the search works).
        #expect(filesHolding("Quillfeather", under: root) == [])
        #expect(filesHolding(old.raw, under: root) == [])
        #expect(!filesHolding("Brackenridge", under: root).isEmpty)
        let names = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        #expect(!names.contains { $0.contains(old.raw) || $0.contains(reference) })

        // Not due, or not a lead: refused.
        #expect(throws: StoreError.notPermitted(action: "retentionNotDue")) { try store.removeForRetention(recent, today: today) }
        let worker = try AppHarness(families: 20, login: "alys")
        #expect(throws: StoreError.notPermitted(action: "retention")) { try worker.store.setRetentionRule(RetentionRule(yearsAfterClosure: 1)) }
        #expect(throws: StoreError.notPermitted(action: "retention")) { try worker.store.retentionDue(today: today) }

        // Opened again: the tombstone stays, the family is gone, and the check is clean.
        let login = store.user.login
        store.close()
        let reopened = try Store.open(at: root, login: login, passphrase: DemoStore.passphrase)
        defer { reopened.close() }
        #expect(reopened.tombstones == [tombstone])
        #expect(reopened.row(old) == nil && reopened.row(recent) != nil)
        // (A store reopened outside the harness rebuilds index rows, a routine repair;
        // nothing serious, and nothing about the removed family.)
        let report = reopened.check()
        #expect(report.isClean && !report.problems.contains { $0.isSerious }, "\(report.problems)")
        #expect(!report.problems.contains { "\($0)".contains(old.raw) }, "\(report.problems)")
    }
}
