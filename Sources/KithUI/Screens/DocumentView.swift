import KithCore

/// Lays a `Document` out as screen lines of styled segments.
enum DocumentView {
    struct Line: Hashable {
        var segments: [(String, Role)]
        static func == (a: Line, b: Line) -> Bool { a.segments.map(\.0) == b.segments.map(\.0) && a.segments.map(\.1) == b.segments.map(\.1) }
        func hash(into hasher: inout Hasher) { hasher.combine(segments.map(\.0)) }
        init(_ text: String, _ role: Role) { segments = [(text, role)] }
        init(segments: [(String, Role)]) { self.segments = segments }
    }

    static func lines(_ document: Document, width: Int) -> [Line] {
        let w = max(20, width)
        var out: [Line] = [Line(document.title, .title)]
        if !document.subtitle.isEmpty { out.append(Line(document.subtitle, .muted)) }
        for block in document.blocks {
            switch block {
            case .heading(let text):
                out.append(Line("", .normal))
                out.append(Line(text, .section))
            case .paragraph(let text):
                for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
                    for line in String(paragraph).wrapped(to: w) { out.append(Line(line, .normal)) }
                }
            case .fields(let fields):
                let labelWidth = min(26, (fields.map { DisplayWidth.of($0.label) }.max() ?? 0) + 2)
                for field in fields {
                    let value = field.value.wrapped(to: max(10, w - labelWidth))
                    let label = field.label + ":" + String(repeating: " ", count: max(1, labelWidth - DisplayWidth.of(field.label) - 1))
                    out.append(Line(segments: [(label, .formLabel), (value.first ?? "", .normal)]))
                    for more in value.dropFirst() { out.append(Line(String(repeating: " ", count: labelWidth) + more, .normal)) }
                }
            case .list(let items):
                for item in items {
                    let lines = item.wrapped(to: w - 2)
                    out.append(Line("• " + (lines.first ?? ""), .normal))
                    for more in lines.dropFirst() { out.append(Line("  " + more, .normal)) }
                }
            case .table(_, let rows):
                for row in rows {
                    let cells = row.filter { !$0.isEmpty }
                    guard let first = cells.first else { continue }
                    let rest = cells.dropFirst().joined(separator: " · ")
                    let text = rest.isEmpty ? first : "\(first) — \(rest)"
                    let lines = text.wrapped(to: w - 2)
                    out.append(Line("• " + (lines.first ?? ""), .normal))
                    for more in lines.dropFirst() { out.append(Line("  " + more, .normal)) }
                }
            case .note(let text):
                out.append(Line("", .normal))
                for line in text.wrapped(to: w) { out.append(Line(line, .muted)) }
            case .bars(let bars):
                let labelWidth = min(w / 3, (bars.map { DisplayWidth.of($0.label) }.max() ?? 0) + 1)
                let longestText = bars.map { DisplayWidth.of($0.text) }.max() ?? 0
                let cells = max(8, min(20, w - labelWidth - longestText - 2))
                for bar in bars {
                    let filled = Int(((bar.fraction ?? 0) * Double(cells)).rounded())
                    let meter = bar.fraction == nil ? String(repeating: "·", count: cells) : String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
                    let role: Role = bar.band == .concern ? .barConcern : bar.band == .strength ? .barStrength : .barMiddle
                    let label = bar.label.clipped(to: labelWidth - 1)
                    out.append(Line(segments: [(label + String(repeating: " ", count: max(1, labelWidth - DisplayWidth.of(label))), .normal),
                                               (meter, role), (" " + bar.text, .normal)]))
                }
            case .callout(let title, let lines):
                out.append(Line("", .normal))
                out.append(Line("┃ " + title, .statusWarning))
                for line in lines { for part in line.wrapped(to: w - 2) { out.append(Line("┃ " + part, .normal)) } }
            }
        }
        return out
    }
}

/// A saved record, read-only, with what can be done with it: print it for the family,
/// add an addendum, revise a safety plan, resolve a flag.
public struct RecordScreen: ScreenModel {
    public private(set) var file: CaseFile
    public let ref: EntityRef
    var scroll = 0
    /// Someone else's draft shown for reading: nothing can be added, printed or changed.
    public let readOnly: Bool
    private(set) var lines: [DocumentView.Line] = []
    private var width = 0

    public init(file: CaseFile, ref: EntityRef, context: AppContext, readOnly: Bool = false, find: String? = nil) {
        self.file = file
        self.ref = ref
        self.readOnly = readOnly
        relayout(context)
        // Opened from a search: at the first line holding what was searched for (lines
        // wrap, so its first word will do when the phrase runs over two).
        if let find {
            let words = SearchKey.tokens(find)
            let page = max(1, context.screenArea.height - 2)
            func holds(_ line: DocumentView.Line, _ wanted: [String]) -> Bool {
                (" " + SearchKey.tokens(line.segments.map(\.0).joined(separator: " ")).joined(separator: " ") + " ").contains(" " + wanted.joined(separator: " "))
            }
            if let at = lines.firstIndex(where: { holds($0, words) }) ?? lines.firstIndex(where: { holds($0, Array(words.prefix(1))) }) {
                scroll = max(0, min(at - 1, lines.count - page))
                found = at
            }
        }
    }

    /// The line a search found (shown marked).
    public private(set) var found: Int?

    public mutating func familyChanged(_ file: CaseFile, row: CaseloadRow?, context: AppContext) {
        guard file.family.id == self.file.family.id, !readOnly else { return }
        self.file = file
        width = 0
    }

    mutating func relayout(_ context: AppContext) {
        guard width != context.size.width else { return }
        width = context.size.width
        lines = RecordScreen.lines(file: file, ref: ref, context: context)
    }

    static func lines(file: CaseFile, ref: EntityRef, context: AppContext) -> [DocumentView.Line] {
        let documents = RecordDocuments(strings: context.strings, instruments: context.instruments, today: context.today,
                                        names: { [session = context.session] in session?.name($0) ?? "" })
        guard let document = documents.document(for: ref, in: file) else { return [DocumentView.Line(context.strings("record.missing"), .muted)] }
        return DocumentView.lines(document, width: context.size.width - 4)
    }

    public static let keys = Keymap(titleKey: "record.title", [
        Binding([.down, .char("j")], .moveDown),
        Binding([.up, .char("k")], .moveUp),
        Binding([.pageDown, .char(" ")], .pageDown),
        Binding([.pageUp], .pageUp),
        Binding([.char("P")], .printRecord, footer: true),
        Binding([.char("a")], .addAddendum, footer: true),
        Binding([.char("e")], .edit),
        Binding([.char("S")], .reviseSafetyPlan),
        Binding([.char("R")], .resolveFlag),
        Binding([.char("f")], .flag),
        Binding([.char("o")], .signOff),
        Binding([.char("w")], .writeCopy),
        Binding([.char("x")], .removeAttachment),
        Binding([.escape], .back, footer: true),
    ] + Keymap.helpAndQuit)

    public static let readOnlyKeys = Keymap(titleKey: "record.title", [
        Binding([.down, .char("j")], .moveDown),
        Binding([.up, .char("k")], .moveUp),
        Binding([.pageDown, .char(" ")], .pageDown),
        Binding([.pageUp], .pageUp),
        Binding([.escape], .back, footer: true),
    ] + Keymap.helpAndQuit)

    public var keymap: Keymap { readOnly ? RecordScreen.readOnlyKeys : RecordScreen.keys }

    public func title(_ context: AppContext) -> String {
        readOnly ? "\(context.strings("record.readOnly")) · \(context.strings(ref.kind.labelKey))"
            : "\(file.family.displayName) · \(context.strings(ref.kind == .family ? "chronology.short" : ref.kind.labelKey))"
    }

    static var printable: Set<RecordKind> { FamilyPrintout.printable }

    /// The print dialog's choice: the format, and "both" for Welsh and English side by side.
    public mutating func chose(_ choice: DialogChoice, context: AppContext) -> [ScreenAction] {
        guard choice.id == "print" else { return [] }
        if choice.value == "share" {
            return [.push(.form(FormScreen(purpose: .share(file.family.id, ref), file: file, context: context)))]
        }
        let both = choice.value == "both"
        return [.effect(.print(PrintRequest(family: file.family.id, record: ref, format: both ? "html" : choice.value, bilingual: both)))]
    }

    public mutating func handle(_ key: Key, context: AppContext) -> [ScreenAction] {
        relayout(context)
        guard let command = keymap.command(for: key) else { return [] }
        let s = context.strings
        let page = max(1, context.screenArea.height - 2)
        let maxScroll = max(0, lines.count - page)
        func form(_ purpose: FormPurpose) -> ScreenAction { .push(.form(FormScreen(purpose: purpose, file: file, context: context))) }
        switch command {
        case .moveDown: scroll = min(maxScroll, scroll + 1)
        case .moveUp: scroll = max(0, scroll - 1)
        case .pageDown: scroll = min(maxScroll, scroll + page)
        case .pageUp: scroll = max(0, scroll - page)
        case .back: return [.pop]
        case .printRecord:
            guard RecordScreen.printable.contains(ref.kind) else { return [.status(s("print.notPrintable"), .info)] }
            if ref.kind == .assessment, file.assessments[Assessment.ID(ref.id)]?.isComplete != true { return [.status(s("print.assessmentNotComplete"), .info)] }
            let dialog = Dialog(title: s("print.title"), message: [s("print.explain", ["language": s(file.family.language.labelKey)])],
                                choices: [(.char("h"), s("print.html")), (.char("b"), s("print.bilingual")), (.char("m"), s("print.markdown")),
                                          (.char("t"), s("print.text")), (.char("s"), s("print.share")), (.escape, s("dialog.cancel"))])
            return [.dialog(PendingDialog(dialog: dialog, choices: [.char("h"): DialogChoice("print", "html"), .char("b"): DialogChoice("print", "both"),
                                                                    .char("m"): DialogChoice("print", "md"), .char("t"): DialogChoice("print", "txt"),
                                                                    .char("s"): DialogChoice("print", "share")]))]
        case .addAddendum:
            guard [.contactNote, .assessment, .meeting, .closure, .review, .supervision].contains(ref.kind) else { return [.status(s("record.noAddendum"), .info)] }
            return [form(.addendum(file.family.id, ref))]
        case .edit:
            switch ref.kind {
            case .plan: return [form(.plan(file.family.id, Plan.ID(ref.id)))]
            case .safetyPlan:
                if let plan = file.safetyPlans[SafetyPlan.ID(ref.id)], plan.status == .draft { return [form(.safetyPlan(file.family.id, plan.id, revising: nil))] }
                return [.status(s("safety.reviseInstead"), .info)]
            default: return [.status(s("record.notEditable"), .info)]
            }
        case .reviseSafetyPlan:
            guard ref.kind == .safetyPlan, let plan = file.safetyPlans[SafetyPlan.ID(ref.id)], plan.status == .active else {
                return [.status(s("safety.onlyActiveRevised"), .info)]
            }
            return [form(.safetyPlan(file.family.id, nil, revising: plan.id))]
        case .resolveFlag:
            guard ref.kind == .flag, let flag = file.flags[Flag.ID(ref.id)], flag.isOpen else { return [.status(s("family.flag.noneOpen"), .info)] }
            return [form(.resolveFlag(file.family.id, flag.id))]
        case .flag:
            guard context.session?.policy.canFlag(file.family) == true else { return [.status(s("family.flag.onlyTeamLead"), .error)] }
            return [form(.flag(file.family.id, ref))]
        case .signOff:
            return [SignOffFlow.action(for: ref, file: file, context: context)]
        case .writeCopy, .removeAttachment:
            guard ref.kind == .attachment, let attachment = file.attachments[Attachment.ID(ref.id)] else { return [.status(s("attach.notAFile"), .info)] }
            guard !attachment.isRemoved else { return [.status(s("attach.wasRemoved"), .info)] }
            return [form(command == .writeCopy ? .writeAttachment(file.family.id, attachment.id) : .removeAttachment(file.family.id, attachment.id))]
        case .help: return [.showHelp]
        case .quit: return [.requestQuit]
        default: break
        }
        return []
    }

    public func render(into buffer: inout CellBuffer, area: Rect, context: AppContext) {
        let ctx = context.render
        buffer.fill(area, style: ctx[.normal])
        let shown = width == context.size.width ? lines : RecordScreen.lines(file: file, ref: ref, context: context)
        for (i, line) in shown.dropFirst(scroll).prefix(area.height).enumerated() {
            var x = area.x + 2
            if found == scroll + i { buffer.put("▸", x: area.x, y: area.y + i, style: ctx[.listSelected], maxWidth: 1) }
            for (text, role) in line.segments {
                x += buffer.put(text, x: x, y: area.y + i, style: ctx[role], maxWidth: area.maxX - x - 1)
            }
        }
        if shown.count > area.height {
            let marker = "\(min(shown.count, scroll + area.height))/\(shown.count)"
            buffer.put(marker, x: area.maxX - DisplayWidth.of(marker) - 1, y: area.maxY - 1, style: ctx[.muted])
        }
        buffer.cursor = nil
    }
}
