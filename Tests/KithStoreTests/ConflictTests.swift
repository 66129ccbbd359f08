import Foundation
import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// The same family edited on two laptops (two copies of one store, each its own device),
/// their entries merged into each other's logs: what conflicts shows, and is settled once
/// for everyone.
@Suite struct ConflictTests {
    /// A store and a copy of it standing for a second laptop.
    func twoLaptops() throws -> (TestStore, String, Family) {
        let test = TestStore()
        let lead = try test.create()
        let family = Fixture.family(lead: Fixture.lead)
        try lead.createFamily(family, with: [Fixture.child(family.id)])
        lead.close()
        let copy = test.directory.file("laptop-b")
        try FileManager.default.copyItem(atPath: test.root, toPath: copy)
        try Data("LAPTOPB000000001\n".utf8).write(to: URL(fileURLWithPath: StoreLayout(root: copy).device))
        return (test, copy, family)
    }

    func open(_ root: String, _ test: TestStore) throws -> Store {
        try Store.open(at: root, login: "lead", passphrase: TestStore.passphrase, clock: test.clock.storeClock)
    }

    /// The entries of one laptop's log of the family, as bytes.
    func entries(_ root: String, _ store: Store, _ family: Family.ID) throws -> [[UInt8]] {
        try FrameFile.read(try store.io.readAll(StoreLayout(root: root).family(family.raw)), kind: .family, owner: family.raw,
                           keyring: store.keyring).payloads
    }

    /// Each laptop takes in the other's entries.
    func exchange(_ test: TestStore, _ b: String, _ family: Family.ID) throws {
        let storeA = try open(test.root, test)
        let fromA = try entries(test.root, storeA, family)
        storeA.close()
        let storeB = try open(b, test)
        let fromB = try entries(b, storeB, family)
        try storeB.mergeFamilyEntries(family, fromA)
        storeB.close()
        let again = try open(test.root, test)
        try again.mergeFamilyEntries(family, fromB)
        again.close()
    }

    @Test func theSameFieldSavedOnTwoLaptopsIsAConflictOnBothUntilOneSettlesIt() throws {
        let (test, b, family) = try twoLaptops()
        for (root, level) in [(test.root, RiskLevel.high), (b, .low)] {
            let store = try open(root, test)
            var changed = try store.openCase(family.id).family
            changed.riskLevel = level
            try store.save([changed], family: family.id)
            store.close()
            test.clock.advance(60)
        }
        try exchange(test, b, family.id)

        var conflicts: [FieldConflict] = []
        for root in [test.root, b] {
            let store = try open(root, test)
            let file = try store.openCase(family.id)
            #expect(file.conflicts.map(\.path) == ["riskLevel"])
            #expect(Set(try #require(file.conflicts.first).values) == [.string("high"), .string("low")])
            #expect(Set(try #require(file.conflicts.first).heads.map(\.hlc.device.raw)).count == 2)
            #expect(store.row(family.id)?.conflicts == 1)
            conflicts = file.conflicts
            store.close()
        }

        // Settled on laptop A: the one it chose, for everyone after the next exchange.
        let a = try open(test.root, test)
        let conflict = try #require(conflicts.first)
        let settled = try a.resolve(conflict, with: .string("high"), family: family.id)
        #expect(settled.conflicts.isEmpty)
        #expect(settled.family.riskLevel == .high)
        #expect(throws: StoreError.conflictSettled(record: conflict.ref.description, field: "riskLevel")) {
            try a.resolve(conflict, with: .string("low"), family: family.id)
        }
        #expect(a.row(family.id)?.conflicts == 0)
        a.close()
        try exchange(test, b, family.id)
        let other = try open(b, test)
        #expect(try other.openCase(family.id).conflicts.isEmpty)
        #expect(try other.openCase(family.id).family.riskLevel == .high)
        #expect(other.row(family.id)?.conflicts == 0)
        other.close()
    }

    @Test func entriesMergedTwiceOrInAnotherOrderGiveTheSameFamily() throws {
        let (test, b, family) = try twoLaptops()
        for (root, note) in [(test.root, "NOTE-ON-A"), (b, "NOTE-ON-B")] {
            let store = try open(root, test)
            try store.save([Fixture.note(family.id, id: note)], family: family.id)
            var changed = try store.openCase(family.id).family
            changed.area = note
            try store.save([changed], family: family.id)
            store.close()
        }
        try exchange(test, b, family.id)
        try exchange(test, b, family.id)
        let a = try open(test.root, test), other = try open(b, test)
        let fileA = try a.openCase(family.id), fileB = try other.openCase(family.id)
        #expect(fileA.values == fileB.values)
        #expect(fileA.conflicts.map(\.path) == ["area"])
        #expect(Set(fileA.notes.keys.map(\.raw)) == ["NOTE-ON-A", "NOTE-ON-B"])
        #expect(fileA.events.count == fileB.events.count)
        #expect(try entries(test.root, a, family.id).count == entries(b, other, family.id).count)
        a.close()
        other.close()
    }

    @Test func aWrittenValueSettlesAConflictAndOneTheFieldCantHoldIsRefusedWithNothingWritten() throws {
        let (test, b, family) = try twoLaptops()
        let child = Fixture.child(family.id)
        for (root, born, area) in [(test.root, "2019-03-05", "Upper valley"), (b, "2019-03-06", "Lower valley")] {
            let store = try open(root, test)
            var person = try #require(try store.openCase(family.id).people[child.id])
            person.dateOfBirth = Day(iso: born)
            var changed = try store.openCase(family.id).family
            changed.area = area
            try store.save([person, changed], family: family.id)
            store.close()
            test.clock.advance(60)
        }
        try exchange(test, b, family.id)

        let a = try open(test.root, test)
        let file = try a.openCase(family.id)
        let born = try #require(file.conflicts.first { $0.field == "dateOfBirth" })
        let area = try #require(file.conflicts.first { $0.field == "area" })
        let before = file.events.count
        #expect(throws: StoreError.invalidValue(record: born.ref.description, field: "dateOfBirth")) {
            try a.resolve(born, with: .string("the third of March"), family: family.id)
        }
        #expect(try a.openCase(family.id).events.count == before, "nothing written")
        #expect(try a.openCase(family.id).conflicts.count == 2)

        try a.resolve(born, with: .string("2019-03-07"), family: family.id)
        let settled = try a.resolve(area, with: .string("Middle valley"), family: family.id)
        #expect(settled.conflicts.isEmpty)
        #expect(settled.people[child.id]?.dateOfBirth == Day(iso: "2019-03-07"))
        #expect(settled.family.area == "Middle valley")
        a.close()
        try exchange(test, b, family.id)
        let other = try open(b, test)
        let there = try other.openCase(family.id)
        #expect(there.conflicts.isEmpty && there.family.area == "Middle valley")
        other.close()
    }
}
