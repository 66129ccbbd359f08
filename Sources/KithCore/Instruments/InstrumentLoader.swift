/// A definition file that cannot be used: the file, the line (0 when unknown) and what
/// is wrong, in words an agency's administrator can act on.
public struct InstrumentError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// Reads instrument definition files (TOML).
public enum InstrumentLoader {
    /// Parses one definition; every problem is reported with its line.
    public static func parse(_ text: String, file: String) throws(InstrumentError) -> Instrument {
        let document: TOMLDocument
        do { document = try TOMLDocument(text: text) } catch {
            throw InstrumentError(file: file, line: error.line, message: "not valid TOML: \(error.message)")
        }
        func fail(_ message: String, line: Int?) -> InstrumentError {
            InstrumentError(file: file, line: line ?? 0, message: message)
        }
        func localized(_ node: TOMLDocument.Node?) -> LocalizedText? {
            if let text = node?.string { return LocalizedText(en: text) }
            guard let table = node?.table, let en = table["en"]?.string, !en.isEmpty else { return nil }
            return LocalizedText(en: en, cy: table["cy"]?.string)
        }
        let root = document.root
        guard let id = root["id"]?.string, !id.isEmpty else { throw fail("missing 'id'", line: document.line(ofKey: "id")) }
        guard let version = root["version"]?.int, version > 0 else {
            throw fail("missing or invalid 'version' (a whole number from 1)", line: document.line(ofKey: "version"))
        }
        guard let title = localized(root["title"]) else { throw fail("missing 'title' (title.en is required)", line: document.line(ofKey: "title.en")) }
        let raters = (root["raters"]?.array ?? []).compactMap(\.string)

        var scales: [String: Scale] = [:]
        var optionOrdinal = 0
        for (n, node) in (root["scales"]?.array ?? []).enumerated() {
            let line = document.line(ofArrayTable: "scales", index: n)
            guard let table = node.table, let scaleID = table["id"]?.string else { throw fail("scale \(n + 1) has no 'id'", line: line) }
            guard let kindText = table["kind"]?.string, let kind = Scale.Kind(rawValue: kindText) else {
                let known = Scale.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("scale '\(scaleID)': unknown kind '\(table["kind"]?.string ?? "")' (one of: \(known))",
                           line: document.line(ofKey: "kind", inArrayTable: "scales", index: n))
            }
            guard scales[scaleID] == nil else { throw fail("scale '\(scaleID)' is defined twice", line: line) }
            var options: [Scale.Option] = []
            for (m, optionNode) in (table["options"]?.array ?? []).enumerated() {
                let optionLine = document.line(ofArrayTable: "scales.options", index: optionOrdinal)
                optionOrdinal += 1
                guard let option = optionNode.table, let value = option["value"]?.int else {
                    throw fail("scale '\(scaleID)' option \(m + 1) has no whole-number 'value'", line: optionLine)
                }
                guard let label = localized(option["label"]) else {
                    throw fail("scale '\(scaleID)' option \(value) has no 'label' (label.en is required)", line: optionLine)
                }
                if let allowed = kind.allowedValues, !allowed.contains(value) {
                    throw fail("scale '\(scaleID)': value \(value) is outside \(allowed.lowerBound)…\(allowed.upperBound) for a \(kind.rawValue) scale", line: optionLine)
                }
                if options.contains(where: { $0.value == value }) {
                    throw fail("scale '\(scaleID)': value \(value) appears twice", line: optionLine)
                }
                var band: Band?
                if let bandText = option["band"]?.string {
                    guard let parsed = Band(rawValue: bandText) else {
                        throw fail("scale '\(scaleID)' option \(value): unknown band '\(bandText)' (concern, middle or strength)", line: optionLine)
                    }
                    band = parsed
                }
                options.append(Scale.Option(value: value, label: label, band: band))
            }
            if kind != .narrative && options.count < 2 { throw fail("scale '\(scaleID)' needs at least two options", line: line) }
            let strengthLabels = (table["strength_labels"]?.array ?? []).compactMap(localized)
            let higherIsBetter = table["higher_is_better"]?.bool ?? (kind == .journey || kind == .judgement || kind == .bipolar || kind == .status)
            scales[scaleID] = Scale(id: scaleID, kind: kind, options: options, strengthLabels: strengthLabels, higherIsBetter: higherIsBetter)
        }

        var domains: [Instrument.Domain] = []
        var itemIDs: Set<String> = []
        var itemOrdinal = 0
        for (n, node) in (root["domains"]?.array ?? []).enumerated() {
            let line = document.line(ofArrayTable: "domains", index: n)
            guard let table = node.table, let domainID = table["id"]?.string else { throw fail("domain \(n + 1) has no 'id'", line: line) }
            guard let domainTitle = localized(table["title"]) else { throw fail("domain '\(domainID)' has no 'title'", line: line) }
            var items: [Instrument.Item] = []
            for itemNode in table["items"]?.array ?? [] {
                let itemLine = document.line(ofArrayTable: "domains.items", index: itemOrdinal)
                itemOrdinal += 1
                guard let item = itemNode.table, let itemID = item["id"]?.string else {
                    throw fail("domain '\(domainID)': item \(items.count + 1) has no 'id'", line: itemLine)
                }
                guard itemIDs.insert(itemID).inserted else { throw fail("item '\(itemID)' appears twice", line: itemLine) }
                guard let text = localized(item["text"]) else { throw fail("item '\(itemID)' has no 'text' (text.en is required)", line: itemLine) }
                let scaleID = item["scale"]?.string ?? "narrative"
                guard scaleID == "narrative" || scales[scaleID] != nil else {
                    throw fail("item '\(itemID)' uses scale '\(scaleID)', which is not defined", line: document.line(ofKey: "scale", inArrayTable: "domains.items", index: itemOrdinal - 1))
                }
                let polarity = Instrument.Item.Polarity(rawValue: item["polarity"]?.string ?? "need") ?? .need
                items.append(Instrument.Item(id: itemID, text: text, guidance: localized(item["guidance"]), scale: scaleID, polarity: polarity))
            }
            guard !items.isEmpty else { throw fail("domain '\(domainID)' has no items", line: line) }
            domains.append(Instrument.Domain(id: domainID, title: domainTitle, items: items))
        }
        guard !domains.isEmpty else { throw fail("no [[domains]]", line: 0) }
        return Instrument(id: id, version: version, title: title, summary: localized(root["summary"]),
                          licence: root["licence"]?.string ?? "", raters: raters, scales: scales, domains: domains)
    }

    /// The instruments that ship with Kith (open, written for Kith), parsed once.
    public static let shipped: [Instrument] = ShippedInstruments.files.compactMap { name, bytes in
        try? parse(String(decoding: bytes, as: UTF8.self), file: name)
    }
}

/// The definition files compiled into Kith.
enum ShippedInstruments {
    static let files: [(String, [UInt8])] = [
        ("strengths-needs.toml", PackageResources.strengths_needs_toml),
        ("outcomes.toml", PackageResources.outcomes_toml),
        ("worries-strengths.toml", PackageResources.worries_strengths_toml),
        ("risk-factors.toml", PackageResources.risk_factors_toml),
    ]
}

/// The instruments available in one store: shipped ones, then an agency's own from the
/// store's `instruments/` folder (a file with the same id and version replaces nothing;
/// a newer version is added beside the old). Broken files are listed, the rest load.
public struct InstrumentLibrary: Sendable {
    public private(set) var instruments: [Instrument]
    public private(set) var problems: [InstrumentError]

    public init(shipped: [Instrument] = InstrumentLoader.shipped, agencyFiles: [(name: String, text: String)] = []) {
        var all = shipped
        var problems: [InstrumentError] = []
        for file in agencyFiles {
            do {
                let instrument = try InstrumentLoader.parse(file.text, file: file.name)
                if !all.contains(where: { $0.id == instrument.id && $0.version == instrument.version }) { all.append(instrument) }
            } catch {
                problems.append(error)
            }
        }
        instruments = all
        self.problems = problems
    }

    /// An exact version (for reading an existing assessment).
    public func instrument(id: String, version: Int) -> Instrument? {
        instruments.first { $0.id == id && $0.version == version }
    }

    /// The newest version of each instrument (for starting a new assessment).
    public var current: [Instrument] {
        Dictionary(grouping: instruments, by: \.id).values.compactMap { $0.max { $0.version < $1.version } }.sorted { $0.id < $1.id }
    }
}
