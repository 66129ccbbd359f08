import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// A store made by the release before keys per family (`kith demo --families 6 --seed 3
/// --today 2026-11-20`, synthetic data, schema 3: one data key for everything, every entry
/// signed) is migrated at its first unlock, and reads the same afterwards.
@Suite struct KeyMigrationTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema3-store").path
    static let passphrase = "kith-demo-store"

    /// A copy of the fixture (git keeps no empty folders: they are made again).
    func copy() throws -> (TemporaryDirectory, String) {
        let directory = TemporaryDirectory()
        let root = directory.file("store")
        try FileManager.default.copyItem(atPath: KeyMigrationTests.fixture, toPath: root)
        for folder in ["drafts", "quarantine", "instruments"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
        return (directory, root)
    }

    /// Every family's events as the old store holds them, read with its single data key.
    func eventsBefore(_ root: String) throws -> [Family.ID: Set<Event.ID>] {
        let layout = StoreLayout(root: root), io = FileIO(root: root)
        let manifest = try Store.readManifest(layout, io)
        #expect(manifest.schema == 3)
        let keyring = try Store.unlock(login: "ceri", passphrase: KeyMigrationTests.passphrase, layout: layout, io: io, storeID: manifest.storeID).0.keyring
        var result: [Family.ID: Set<Event.ID>] = [:]
        for name in io.list(layout.families) where name.hasSuffix(".log") {
            let id = Family.ID(String(name.dropLast(4)))
            let contents = try FrameFile.read(try io.readAll(layout.family(id.raw)), kind: .family, owner: id.raw, keyring: keyring)
            result[id] = Set(try contents.payloads.flatMap { try SignedBatch.open($0).events.map(\.id) })
        }
        return result
    }

    @Test func theFirstUnlockGivesEveryFamilyItsOwnKeyAndLosesNothing() throws {
        let (directory, root) = try copy()
        defer { _ = directory }
        let before = try eventsBefore(root)
        #expect(before.count == 6)
        let layout = StoreLayout(root: root)
        #expect(FileManager.default.fileExists(atPath: layout.index))

        // A worker unlocks first: the whole store is migrated by that unlock.
        let worker = try Store.open(at: root, login: "alys", passphrase: KeyMigrationTests.passphrase)
        #expect(worker.manifest.schema == 4)
        #expect(!FileManager.default.fileExists(atPath: layout.index), "the index everyone's key opened is gone")
        for id in before.keys {
            let contents = try FrameFile.read(try worker.io.readAll(layout.family(id.raw)), kind: .family, owner: id.raw, keyring: worker.keyring)
            #expect(contents.payloads.allSatisfy { FamilyEntry.epoch(of: $0) != nil && (try? SignedBatch.open($0)) == nil })
        }
        let hers = Set(worker.caseload().map(\.familyID))
        #expect(!hers.isEmpty && hers.count < before.count)
        for id in hers { #expect(Set(try worker.readCase(id).events.map(\.id)) == before[id]) }
        #expect(worker.check().isClean, "\(worker.problems)")
        #expect(try worker.auditTrail().entries.contains { $0.action == .migrate })
        worker.close()

        // The team lead reads every family, whole; the admin none.
        let lead = try Store.open(at: root, login: "ceri", passphrase: KeyMigrationTests.passphrase)
        #expect(Set(lead.caseload().map(\.familyID)) == Set(before.keys))
        for (id, events) in before { #expect(Set(try lead.readCase(id).events.map(\.id)) == events) }
        #expect(lead.check().isClean, "\(lead.problems)")
        lead.close()
        let admin = try Store.open(at: root, login: "admin", passphrase: KeyMigrationTests.passphrase)
        #expect(admin.caseload().isEmpty)
        for id in before.keys { #expect(throws: StoreError.accessDenied(family: id.raw)) { try admin.readCase(id) } }
        admin.close()
    }
}
