import Testing
import KithCore
@testable import KithStore
import KithTestSupport

/// Power cuts at random instants, as SQLite's crash tests do: a session of random work on
/// the simulated file system stops at a random file call, everything not flushed is lost
/// or torn, and the store opens again with every acknowledged save, no torn record and
/// nothing serious for `check` to report.
@Suite struct PowerCutTests {
    /// 10,000 cuts in 20 batches run side by side.
    static let batches = 20
    static let cutsPerBatch = 500

    enum Work: CaseIterable { case note, family, draft, view, index, flag }

    struct Acknowledged {
        var notes: [(Family.ID, ContactNote.ID)] = []
        var families: [Family.ID] = []
        var drafts: [Draft.ID: Value] = [:]
        /// A draft save the cut interrupted: its bytes may have reached the disk whole
        /// although the call never returned, so the draft may be at this newer state.
        var draftInFlight: (Draft.ID, Value)?
    }

    @Test(arguments: 0..<batches)
    func randomPowerCutsLoseNothingAcknowledged(batch: Int) throws {
        let simulated = try SimulatedStore()
        var random = SeededGenerator(seed: UInt64(batch) &* 7919 &+ 17)
        var savesAcknowledged = 0, cutsMidWork = 0
        for cut in 0..<PowerCutTests.cutsPerBatch {
            let label = "batch \(batch) cut \(cut)"
            let fs = simulated.base.copy(seed: random.next())
            var acknowledged = Acknowledged()
            acknowledged.families = [SimulatedStore.familyA.id]
            acknowledged.notes = [(SimulatedStore.familyA.id, ContactNote.ID("NOTE-BASE"))]
            do {
                let store = try simulated.open(fs)
                fs.cutPowerAt = fs.operations + Int.random(in: 1...40, using: &random)
                var step = 0
                while !fs.powerIsOff && step < 12 {
                    step += 1
                    try? perform(random.pick(Work.allCases), store, &acknowledged, &random, label: "\(label) step \(step)")
                }
                // The process dies with the machine: no clean close, nothing more reaches the disk.
                if fs.powerIsOff { cutsMidWork += 1 } else { fs.cutPowerAt = fs.operations + 1 }
                store.close()
            }
            fs.powerCut()
            savesAcknowledged += acknowledged.notes.count + acknowledged.families.count + acknowledged.drafts.count - 2
            let store = try simulated.open(fs)
            for family in acknowledged.families {
                #expect(store.row(family) != nil, "\(label): family \(family.raw) lost")
            }
            for (family, note) in acknowledged.notes {
                #expect(try store.openCase(family).notes[note] != nil, "\(label): note \(note.raw) lost")
            }
            let drafts = Dictionary(uniqueKeysWithValues: store.drafts().map { ($0.id, $0.payload) })
            for (id, payload) in acknowledged.drafts {
                let newer = acknowledged.draftInFlight.flatMap { $0.0 == id ? $0.1 : nil }
                #expect(drafts[id] == payload || drafts[id] == newer, "\(label): draft \(id.raw) not at its last acknowledged state")
            }
            let report = store.check()
            #expect(report.isClean, "\(label): \(report.problems)")
            #expect(report.problems.allSatisfy { $0.kind == .tornTailRepaired || $0.kind == .indexRebuilt }, "\(label): \(report.problems)")
            store.close()
        }
        // The cuts land in the middle of real work, not only before or after it.
        #expect(cutsMidWork > PowerCutTests.cutsPerBatch * 3 / 4)
        #expect(savesAcknowledged > PowerCutTests.cutsPerBatch)
    }

    /// One piece of work; what was acknowledged is recorded only once the call returned.
    func perform(_ work: Work, _ store: Store, _ acknowledged: inout Acknowledged, _ random: inout SeededGenerator, label: String) throws {
        let family = random.pick(acknowledged.families)
        switch work {
        case .note:
            let id = ContactNote.ID.random(using: &random)
            try store.save([Fixture.note(family, id: id.raw)], family: family)
            acknowledged.notes.append((family, id))
        case .family:
            let id = Family.ID.random(using: &random)
            try store.createFamily(Fixture.family(id.raw, lead: Fixture.lead), with: [Fixture.child(id)])
            acknowledged.families.append(id)
        case .draft:
            let id = Draft.ID(random.chance(0.5) ? "DRAFT-ONE" : "DRAFT-TWO")
            let payload = Value.string("state \(random.next() % 1000)")
            acknowledged.draftInFlight = (id, payload)
            try store.saveDraft(Draft(id: id, author: Fixture.lead, family: family, form: "contactNote", savedAt: 1, payload: payload))
            acknowledged.draftInFlight = nil
            acknowledged.drafts[id] = payload
        case .view:
            _ = try store.openCase(family)
        case .index:
            try store.flushIndex()
        case .flag:
            let flag = Flag(id: Flag.ID.random(using: &random), familyID: family, target: EntityRef(kind: .family, id: family.raw),
                            note: "Please review", raisedBy: Fixture.lead, raisedOn: Fixture.today)
            try store.save([flag], family: family)
        }
    }
}
