import KithCore
import KithStore
import KithUI

/// Every parser of bytes that can come from outside Kith's control, as fuzz entry points:
/// libFuzzer drives them through `kith-fuzz` (see `.ci/fuzz`), and the corpus kept in
/// `Tests/Fuzz/corpus/<target>/` runs through them in the test suite. Each must return
/// for any input: an error is fine, a trap is a bug.
public enum FuzzTargets {
    public static let names = ["toml", "frames", "payloads"]

    /// One fixed key, so a corpus of real frames stays meaningful between runs.
    static let keyring = Keyring.fixed(7)

    public static func run(_ target: String, _ bytes: [UInt8]) {
        switch target {
        case "toml": toml(bytes)
        case "frames": frames(bytes)
        case "payloads": payloads(bytes)
        default: break
        }
    }

    /// Instrument definitions, themes and string tables: TOML from an agency or a user.
    static func toml(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let document = try? TOMLDocument(text: text) {
            _ = document.flattened
            _ = document.line(ofKey: "id")
            _ = document.line(ofArrayTable: "domains", index: 0)
        }
        _ = try? InstrumentLoader.parse(text, file: "fuzz.toml")
        _ = ThemeDefinition.parse(text, name: "fuzz")
    }

    /// Any store file as found on disk: the first byte picks the kind it is read as.
    static func frames(_ bytes: [UInt8]) {
        let first = bytes.first ?? 0
        let kinds = FrameFile.Kind.allCases
        let kind = kinds[Int(first) % kinds.count]
        let rest = Array(bytes.dropFirst())
        for owner in ["FAMILY0000000001", "STORE"] {
            if let contents = try? FrameFile.read(rest, kind: kind, owner: owner, keyring: keyring) {
                precondition(contents.payloads.count <= rest.count / 44 + 1, "more payloads than frames could fit")
            }
        }
    }

    /// What authenticated frames carry: the first byte picks the decoder.
    static func payloads(_ bytes: [UInt8]) {
        let first = bytes.first ?? 0
        let rest = Array(bytes.dropFirst())
        switch first % 11 {
        case 0:
            // Events as every laptop folds them, leaf paths and all.
            if let events = try? Event.decodeBatch(rest) {
                var fold = RecordFold()
                for event in events { fold.apply(event) }
                _ = fold.value
                _ = fold.changes(to: .object(["text": .array([.string("x")])]))
            }
        case 1: _ = try? Draft.decode(rest)
        case 2: var reader = BinaryReader(rest); _ = try? AuditEntry.parse(&reader)
        case 3: var reader = BinaryReader(rest); _ = try? CaseloadRow(from: &reader)
        case 4: _ = try? RegistryEntry.decode(rest)
        case 5: _ = try? SignedBatch.open(rest)
        case 6: _ = try? KeyGrant.decode(rest)
        case 7: _ = try? MatchKeys.decode(rest); _ = FamilyEntry.epoch(of: rest)
        case 9: SyncFileParsers.parse(rest)
        default: _ = try? AuditAnchorEntry.decode(rest)
        }
    }
}

extension FuzzTargets {
    /// Well-formed inputs for each target, made with the fixed key: the fuzzer mutates
    /// from real structure instead of discovering it byte by byte.
    public static func seeds() -> [String: [[UInt8]]] {
        let family = "FAMILY0000000001"
        let author = User.ID("USER000000000001")
        let device = Device.ID("DEVICE0000000001")
        var events: [Event] = []
        for n in 0..<3 {
            let clock = HLC(wallMillis: 1_790_000_000_000 + Int64(n), counter: UInt32(n), device: device)
            let change = FieldChange(field: "text", old: n == 0 ? nil : .string("before"), new: .string("synthetic note \(n) ŵ ŷ"))
            events.append(Event(id: Event.ID("EVENT00000000000\(n)"), hlc: clock, author: author,
                                entity: EntityRef(kind: .contactNote, id: "NOTE\(n)"), action: n == 0 ? .create : .update, changes: [change]))
        }
        let batch = Event.encodeBatch(events)
        let merged = Event.encodeBatch([Event(id: Event.ID("EVENT000000000009"), hlc: HLC(wallMillis: 1_790_000_000_009, counter: 0, device: device),
                                              author: author, entity: EntityRef(kind: .plan, id: "PLAN1"), action: .update,
                                              changes: [FieldChange(path: "goals[ig1].actions[ia1].what", old: .string("a"), new: .string("b"),
                                                                    bases: [Event.ID("EVENT000000000001")]),
                                                        FieldChange(path: "goals[ig1]#", old: nil, new: .double(1.5), bases: [])])])
        let draft = Draft(id: Draft.ID("DRAFT00000000001"), author: author, family: Family.ID(family), form: "contactNote", savedAt: 1,
                          payload: .object(["text": .string("typing"), "focus": .int(3)])).encoded()
        let audit = AuditEntry(sequence: 1, atMillis: 1_790_000_000_000, actor: author.raw, role: "worker", device: "DEVICE0000000001",
                               action: .view, target: family, fields: ["text"]).bytes()
        let registry = RegistryEntry.encode([RegistryEntry(kind: .registered, family: Family.ID(family), team: Team.ID("TEAM0000000000001"))])
        let anchor = AuditAnchorEntry(kind: .head, sequence: 4, mac: [UInt8](repeating: 9, count: 32)).encoded()
        // Signed by a fixed identity, so the seed is the same every run.
        let signed = Identity(raw: [UInt8](repeating: 3, count: 64)).map { SignedBatch.seal(events, owner: family, signer: author, identity: $0) } ?? batch

        // A grants entry and a duplicate check's keys, as their formats lay them out.
        var grants = BinaryWriter()
        grants.byte(2); grants.uvarint(1); grants.string(family); grants.int(0); grants.string(author.raw)
        grants.data([UInt8](repeating: 5, count: 8)); grants.string(author.raw); grants.data([UInt8](repeating: 6, count: 80))
        var match = BinaryWriter()
        match.byte(1); match.string(author.raw); match.uvarint(1)
        for n in 0..<3 { match.data([UInt8](repeating: UInt8(n), count: 16)) }
        match.uvarint(1); match.data([UInt8](repeating: 7, count: 16))

        func file(_ kind: FrameFile.Kind, _ owner: String, _ payloads: [[UInt8]]) -> [UInt8] {
            var bytes = FrameFile.header(kind: kind, owner: owner)
            for (n, payload) in payloads.enumerated() { bytes += FrameFile.frame(payload, kind: kind, owner: owner, sequence: n, keyring: keyring) }
            return [UInt8(FrameFile.Kind.allCases.firstIndex(of: kind)!)] + bytes
        }
        return [
            "frames": [
                file(.family, family, [batch, signed]), file(.draft, "DRAFT00000000001", [draft]),
                file(.team, "STORE", [batch]), file(.registry, "STORE", [registry]), file(.auditAnchor, "STORE", [anchor]),
            ],
            "payloads": [[0] + batch, [0] + merged, [1] + draft, [2] + audit, [4] + registry, [5] + signed, [6] + grants.bytes, [7] + match.bytes,
                         [8] + anchor, [9] + SyncFileParsers.sampleBody],
            "toml": [Array("id = \"x\"\n[[domains]]\ntitle.en = \"A\"\n[[domains.items]]\nid = 'i'\n".utf8)],
        ]
    }
}

extension FuzzTargets {
    /// How many authentic payloads a `frames` input holds as the family it names (for tests).
    public static func authenticPayloads(_ input: [UInt8]) -> Int {
        guard let first = input.first else { return 0 }
        let kind = FrameFile.Kind.allCases[Int(first) % FrameFile.Kind.allCases.count]
        return (try? FrameFile.read(Array(input.dropFirst()), kind: kind, owner: "FAMILY0000000001", keyring: keyring))?.payloads.count ?? 0
    }
}
