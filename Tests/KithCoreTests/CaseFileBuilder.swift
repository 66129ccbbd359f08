import KithCore
import KithTestSupport

/// Builds a case file from records as if each had been saved in order.
func caseFile(_ family: Family, _ records: [any FamilyScoped]) -> CaseFile {
    var events: [Event] = []
    var values: [EntityRef: Value] = [:]
    var counter: UInt32 = 0
    for record in [family] + records {
        let new = try! ValueEncoder().encode(record)
        let old = values[record.ref]
        counter += 1
        events.append(Event(id: Event.ID("E\(counter)"), hlc: HLC(wallMillis: 1_000_000 + Int64(counter), counter: 0, device: Device.ID("D")),
                            author: Fixture.worker, entity: record.ref, action: old == nil ? .create : .update, changes: new.changes(from: old)))
        values[record.ref] = new
    }
    return CaseFile(events: events)!
}
