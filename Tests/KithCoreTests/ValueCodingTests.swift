import Testing
import KithCore
import KithTestSupport

@Suite struct ValueCodingTests {
    @Test(arguments: Fixture.everyRecord(Family.ID("F1")).map { $0.ref.kind })
    func everyRecordKindRoundTripsThroughValueAndBinary(kind: RecordKind) throws {
        // Given one record of each kind
        let record = Fixture.everyRecord(Family.ID("F1")).first { $0.ref.kind == kind }!
        // When it is encoded to field values, then to bytes, and back
        let value = try ValueEncoder().encode(record)
        var writer = BinaryWriter()
        value.write(to: &writer)
        var reader = BinaryReader(writer.bytes)
        let decodedValue = try Value(from: &reader)
        // Then the value and the record are unchanged
        #expect(decodedValue == value)
        #expect(try decodesBack(record, from: decodedValue))
    }

    @Test func changesListOnlyChangedFieldsWithOldAndNew() throws {
        var family = Fixture.family()
        let before = try ValueEncoder().encode(family)
        family.riskLevel = .high
        family.sensitive = true
        let after = try ValueEncoder().encode(family)
        let changes = after.changes(from: before)
        #expect(changes.map(\.field) == ["riskLevel", "sensitive"])
        #expect(changes[0].old == .string("medium"))
        #expect(changes[0].new == .string("high"))
        #expect(before.applying(changes) == after)
    }

    @Test func newRecordChangesHaveNoOldValues() throws {
        let value = try ValueEncoder().encode(Fixture.note(Family.ID("F1")))
        let changes = value.changes(from: nil)
        #expect(!changes.isEmpty)
        #expect(changes.allSatisfy { $0.old == nil })
    }

    @Test func missingListFieldDecodesAsEmpty() throws {
        var fields = try ValueEncoder().encode(Fixture.child(Family.ID("F1"))).objectValue!
        fields["aliases"] = nil
        let person = try ValueDecoder().decode(Person.self, from: .object(fields))
        #expect(person.aliases.isEmpty)
    }

    @Test func eventBatchRoundTripsAndRejectsTrailingBytes() throws {
        let device = Device.ID("DEV")
        let event = Event(id: Event.ID("E1"), hlc: HLC(wallMillis: 1_700_000_000_000, counter: 3, device: device), author: User.ID("U1"),
                          entity: EntityRef(kind: .family, id: "F1"), action: .update,
                          changes: [FieldChange(field: "riskLevel", old: .string("low"), new: .string("high"))])
        let bytes = Event.encodeBatch([event, event])
        #expect(try Event.decodeBatch(bytes) == [event, event])
        #expect(throws: BinaryError.self) { try Event.decodeBatch(bytes + [0]) }
        #expect(throws: BinaryError.self) { try Event.decodeBatch(Array(bytes.dropLast(2))) }
    }

    @Test func truncatedBinaryIsAnErrorNotACrash() {
        var reader = BinaryReader([5, 200, 1])
        #expect(throws: BinaryError.truncated) { try Value(from: &reader) }
    }
}

@Suite struct ClockTests {
    @Test func readingsOnOneDeviceAlwaysIncrease() {
        let device = Device.ID("D")
        var clock = HLC(wallMillis: 1000, counter: 0, device: device)
        let same = clock.next(physicalMillis: 1000)
        #expect(same > clock)
        clock = same
        let backwards = clock.next(physicalMillis: 500)
        #expect(backwards > clock)
        #expect(backwards.wallMillis == 1000)
    }

    @Test func receivingARemoteReadingMovesPastIt() {
        let local = HLC(wallMillis: 1000, counter: 2, device: Device.ID("A"))
        let remote = HLC(wallMillis: 5000, counter: 7, device: Device.ID("B"))
        let merged = local.receiving(remote, physicalMillis: 900)
        #expect(merged > remote)
        #expect(merged.device == Device.ID("A"))
    }
}

/// Decodes `value` as the record's own type and compares (opens the existential).
private func decodesBack<R: Record>(_ record: R, from value: Value) throws -> Bool {
    try ValueDecoder().decode(R.self, from: value) == record
}
