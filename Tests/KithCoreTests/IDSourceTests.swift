import Testing
import KithCore

@Suite struct IDSourceTests {
    @Test func idsMintedOnTwoDevicesInTheSameMillisecondNeverCollide() {
        // Two laptops start the same moment: each session has its own source, and nothing
        // about the clock goes into an id.
        let first = IDSource.system(), second = IDSource.system()
        var seen = Set<Event.ID>()
        seen.reserveCapacity(200_000)
        for _ in 0..<100_000 {
            seen.insert(first.id(Event.ID.self))
            seen.insert(second.id(Event.ID.self))
        }
        #expect(seen.count == 200_000)
        #expect(seen.allSatisfy { $0.raw.count == 16 })
    }

    @Test func aSeededSourceRepeatsAndEveryCopySharesOneStream() {
        let a = IDSource.seeded(9), b = IDSource.seeded(9)
        let fromA = (0..<5).map { _ in a.text("D", count: 15) }
        #expect(fromA == (0..<5).map { _ in b.text("D", count: 15) })
        #expect(Set(fromA).count == 5)
        // A copy of a context holds the same source: it never hands out an id twice.
        let copy = a
        #expect(copy.text(count: 15) != a.text(count: 15))
    }
}
