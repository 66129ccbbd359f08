import Foundation
import KithCore
import KithDemo
import KithHub
import KithStore
import KithUI

/// `kith bench`: Kith's speed on a synthetic store, each figure a median and p99 over
/// repeated runs, in milliseconds. Rendering goes to an off-screen buffer and is diffed
/// like the terminal backend does, so keystroke figures are update + render + diff.
public struct BenchReport: Codable, Sendable {
    public struct Figure: Codable, Sendable {
        public var median: Double
        public var p99: Double
        public var runs: Int
    }

    public var families: Int
    public var machine: String
    public var build: String
    public var createSeconds: Double
    public var storeMegabytes: Double
    public var keyDerivation: Figure
    public var unlock: Figure
    public var firstFrameAfterUnlock: Figure
    public var firstFrameWithoutKeyDerivation: Figure
    public var caseloadMove: Figure
    public var caseloadPageDown: Figure
    public var searchKeystroke: Figure
    /// `d` on the caseload to the dashboard's first frame (counted from every row, drawn).
    public var dashboardFirstFrame: Figure
    /// The quarter's return counted from every row and written as CSV and Markdown (not to disk).
    public var returnExport: Figure
    /// A subject access export of the family with the most events (recorded, read whole
    /// with its audit trail, written as HTML and JSON; not to disk).
    public var subjectAccess: Figure
    public var subjectAccessEvents: Int
    /// The first search of what was written: its index built from every log.
    public var textIndexBuild: Figure
    public var textIndexLines: Int
    /// One character typed into a search of what was written, across every family.
    public var textSearchKeystroke: Figure
    public var noteKeystroke: Figure
    public var durableSave: Figure
    public var rawWriteFsync: Figure
    public var saveBytes: Int
    public var draftAutosave: Figure
    /// A family read from disk: its key opened (HPKE), its log decrypted, every entry's
    /// signature checked, folded.
    public var familyRead: Figure
    /// Unlock to first caseload frame for a worker (their own caseload and index).
    public var workerFirstFrame: Figure
    /// Deactivating a worker: every family they could read moved to a new key epoch.
    public var deactivation: Figure
    public var deactivatedFamilies: Int
    /// Bundles and merging, on a team of up to 2,000 families.
    public var sync: SyncFigures
    /// The team hub, when a server was named (`--hub-url`).
    public var hub: HubFigures?
    public var peakMemoryMegabytes: Double
}

public enum Bench {
    static func figure(_ samples: [Double]) -> BenchReport.Figure {
        let sorted = samples.sorted()
        guard !sorted.isEmpty else { return .init(median: 0, p99: 0, runs: 0) }
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
        return .init(median: median, p99: p99, runs: sorted.count)
    }

    /// Milliseconds taken by `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    }

    static func peakMemoryMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static func machine() -> String {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        let memory = ProcessInfo.processInfo.physicalMemory / 1_073_741_824
        return "\(cpu), \(cores) cores, \(memory) GiB"
    }

    /// Runs every measurement on a fresh store of `families` families in `directory`.
    /// `repetitions` scales how many samples the cheap measurements take.
    /// The day and seed of the benchmark's store (so runs compare).
    public static let day = Day(iso: "2026-11-22")!
    public static let seed: UInt64 = 1

    /// Runs every measurement. `create` makes the store at the given path; the `kith`
    /// command runs `kith demo` in a child process so that peak memory is the app's own,
    /// not the generator's.
    public static func run(families: Int, directory: String, repetitions: Int = 1, create: ((String, Int) throws -> Void)? = nil,
                           hub: (address: HubAddress, password: String?)? = nil, progress: (String) -> Void = { _ in }) throws -> BenchReport {
        let root = "\(directory)/store"
        let today = day
        let clock = StoreClock { Double(today.ordinal) * 86_400 + 43_200 }
        progress("creating \(families) families…")
        let createMs = try time {
            if let create {
                try create(root, families)
            } else {
                try DemoStore.create(at: root, families: families, seed: seed, today: today, kdf: .standard, clock: clock).close()
            }
        }
        let size = directorySize(root)

        // Unlock: key derivation alone, then the whole open.
        progress("unlocking…")
        var kdf: [Double] = [], unlock: [Double] = [], firstFrame: [Double] = [], withoutKDF: [Double] = []
        let salt = [UInt8](repeating: 7, count: 16)
        for _ in 0..<max(5, 5 * repetitions) {
            kdf.append(try time { _ = try KeySlot.derive(DemoStore.passphrase, salt: salt, kdf: .standard) })
        }
        let size120 = Size(width: 120, height: 40)
        let strings = Strings.shipped(.en)
        let theme = Theme.builtIn(depth: .indexed256)
        // Made once at launch, before the unlock screen, as the app does.
        let context = AppContext(strings: strings, theme: theme, size: size120, now: clock.now(), today: today)
        var store: Store!
        var model: AppModel!
        /// Unlocks as `login` and paints the first caseload frame, `runs` times.
        func unlockRuns(_ login: String, _ runs: Int) throws -> (unlock: [Double], firstFrame: [Double], withoutKDF: [Double]) {
            var result: (unlock: [Double], firstFrame: [Double], withoutKDF: [Double]) = ([], [], [])
            for _ in 0..<runs {
                store?.close()
                var opened: Store!
                let unlockMs = try time { opened = try Store.open(at: root, login: login, passphrase: DemoStore.passphrase, clock: clock) }
                let effects = LiveEffects(storePath: root, store: opened, isDemo: false, strings: strings, clock: clock, today: { today })
                var buffer = CellBuffer(size: size120)
                let paintMs = time {
                    var fresh = AppModel(context: context, screens: [.unlock(UnlockScreen(storePath: root, users: []))], seed: 1)
                    _ = fresh.update(effects.unlockedMessage())
                    buffer = CellBuffer(size: size120)
                    fresh.render(into: &buffer)
                    _ = buffer.changes(since: nil)
                    model = fresh
                }
                result.unlock.append(unlockMs)
                result.firstFrame.append(unlockMs + paintMs)
                result.withoutKDF.append(unlockMs + paintMs - opened.keyDerivationMilliseconds)
                store = opened
            }
            return result
        }
        // A worker's first unlock makes their own index: that one is not counted.
        _ = try unlockRuns(DemoStore.workerLogins[0], 1)
        let worker = try unlockRuns(DemoStore.workerLogins[0], max(5, 5 * repetitions)).firstFrame
        (unlock, firstFrame, withoutKDF) = try unlockRuns(DemoStore.leadLogin, max(5, 5 * repetitions))
        model.status = nil

        // Keystrokes on the caseload: update + render + diff.
        progress("keystrokes…")
        var previous = CellBuffer(size: size120)
        model.render(into: &previous)
        func keystroke(_ key: Key) -> Double {
            time {
                _ = model.update(.terminal(.key(key)))
                _ = model.update(.tick(clock.now()))
                var frame = CellBuffer(size: size120)
                model.render(into: &frame)
                _ = frame.changes(since: previous)
                previous = frame
            }
        }
        var moves: [Double] = [], pages: [Double] = []
        for i in 0..<(300 * repetitions) { moves.append(keystroke(i % 100 < 50 ? .down : .up)) }
        for i in 0..<(100 * repetitions) { pages.append(keystroke(i % 10 < 5 ? .pageDown : .pageUp)) }

        // Search: every character of five-character queries taken from real names.
        let queries = ["llywe", "sian ", "rhydd", "kowal", "popes", "warsa", "hadda", "thoma", "evans", "jones", "ifans", "prych"]
        var searches: [Double] = []
        for n in 0..<(60 * repetitions) {
            _ = keystroke(.char("/"))
            for character in queries[n % queries.count] { searches.append(keystroke(.char(character))) }
            _ = keystroke(.escape)
            _ = keystroke(.escape)
        }

        // The team dashboard: from the caseload, counted and drawn; back again.
        progress("team dashboard…")
        var dashboards: [Double] = []
        for _ in 0..<(20 * repetitions) {
            dashboards.append(keystroke(.char("d")))
            _ = keystroke(.escape)
        }
        var returns: [Double] = []
        let (year, quarter) = TeamDashboard.quarter(of: today)
        for _ in 0..<(5 * repetitions) {
            returns.append(time {
                let report = QuarterReturn(rows: store.caseload(), year: year, quarter: quarter, measures: TeamDashboard.followedMeasures())
                _ = report.csv(strings: strings) { $1 }
                _ = report.markdown(strings: strings) { $1 }
            })
        }

        // A subject access export of the largest family (by events in its log).
        progress("subject access…")
        let sample = store.caseload().sorted { $0.reference < $1.reference }.prefix(400)
        var largest: CaseFile?
        for candidate in sample {
            let file = try store.readCase(candidate.familyID)
            if file.events.count > (largest?.events.count ?? 0) { largest = file }
        }
        // Made a family worked with for years: 400 more contact notes of 1,000 characters.
        if let family = largest?.family.id {
            let text = String(repeating: "Visit with the family; talked about routines and school. ", count: 18)
            for n in 0..<400 {
                let note = ContactNote(id: ContactNote.ID("BENCH-SAR-\(n)"), familyID: family, contactKind: .visit,
                                       date: today.adding(days: -n), text: String(text.prefix(1000)))
                try store.save([note], family: family)
            }
            largest = try store.readCase(family)
        }
        var subjects: [Double] = []
        for _ in 0..<(3 * repetitions) {
            guard let largest else { break }
            subjects.append(try time {
                let report = try store.subjectAccess(family: largest.family.id, person: nil, redactThirdParties: true)
                _ = report.html(strings: strings, today: today, producedBy: store.user.displayName) { store.users[User.ID($0)]?.displayName }
                _ = report.json(today: today) { store.users[User.ID($0)]?.displayName }
            })
        }

        // Finding what was written: the index built from the logs once, then each
        // character of five-letter queries searched across every family.
        progress("finding what was written…")
        let built = try time { _ = try store.searchWritten("a") }
        let words = ["schoo", "ysgol", "routi", "arian", "bedti", "sleep", "nain ", "money", "visit", "mornin"]
        var textSearches: [Double] = []
        for n in 0..<(40 * repetitions) {
            let word = words[n % words.count]
            for end in 1...word.count {
                let typed = String(word.prefix(end))
                textSearches.append(try time { _ = try store.searchWritten(typed) })
            }
        }
        let textLines = store.writtenLineCount

        // A keystroke in a 5,000-character note of an open assessment.
        progress("note in an assessment…")
        let row = store.caseload().filter { $0.status != .closed }.sorted { $0.reference < $1.reference }[0]
        let file = try store.openCase(row.familyID)
        var screen = AssessmentScreen(choosingFor: file, context: model.context)
        // Start (nobody else has a draft of it) and go to the family's view.
        let asked = screen.handle(.ctrl("s"), context: model.context).compactMap { if case .effect(let e) = $0 { e.request } else { nil } }
        for request in asked { _ = screen.receive(.othersDrafts([]), for: request.id, context: model.context) }
        screen.focus(on: "familyView", context: model.context)
        let long = String(repeating: "The family talked about mornings, money and Nain's help. ", count: 88).prefix(5_000)
        _ = screen.paste(String(long), context: model.context)
        model.push(.assessment(screen))
        previous = CellBuffer(size: size120)
        model.render(into: &previous)
        var noteKeys: [Double] = []
        for i in 0..<(200 * repetitions) { noteKeys.append(keystroke(i % 20 == 19 ? .enter : .char("a"))) }

        // Durable saves beside a raw write + fdatasync of the same bytes.
        progress("saves…")
        var saves: [Double] = [], raw: [Double] = []
        let io = FileIO(root: root)
        let rawPath = "\(root)/bench-raw"
        try io.createExclusive(rawPath, [])
        let logPath = StoreLayout(root: root).family(row.familyID.raw)
        var saveBytes = 0
        for n in 0..<(100 * repetitions) {
            let note = ContactNote(id: ContactNote.ID("BENCH\(n)"), familyID: row.familyID, contactKind: .call, date: today,
                                   text: "Phone call about the appointment; all well. Bench note \(n).")
            let before = io.size(logPath) ?? 0
            saves.append(try time { _ = try store.save([note], family: row.familyID) })
            saveBytes = Int((io.size(logPath) ?? 0) - before)
            let bytes = [UInt8](repeating: 0x2A, count: saveBytes)
            raw.append(try time { try io.append(rawPath, bytes) })
        }
        try io.remove(rawPath)

        // Draft autosave of the assessment with its 5,000-character note.
        var drafts: [Double] = []
        guard case .assessment(let open)? = model.screens.last else { throw StoreError.noSuchFamily(id: row.familyID.raw) }
        let envelope = DraftEnvelope(id: "BENCHDRAFT", family: row.familyID, savedAt: clock.now(), content: .assessment(open.draft))
        for _ in 0..<(100 * repetitions) {
            drafts.append(try time {
                let payload = try ValueEncoder().encode(envelope)
                try store.saveDraft(Draft(id: Draft.ID(envelope.id), author: store.user.id, family: row.familyID, form: envelope.formName,
                                          savedAt: envelope.savedAt, payload: payload))
            })
        }
        try store.discardDraft(Draft.ID("BENCHDRAFT"))

        // Families read from disk, each for the first time this session (none is cached).
        progress("families from disk…")
        var reads: [Double] = []
        for other in store.caseload().filter({ $0.familyID != row.familyID }).prefix(200 * repetitions) {
            reads.append(try time { _ = try store.readCase(other.familyID) })
        }

        // Last, as it changes the store: a worker leaves, and every family they could read
        // gets a new key epoch.
        progress("deactivating a worker…")
        guard let leaving = store.users.values.first(where: { $0.login == DemoStore.workerLogins[0] }) else {
            throw StoreError.unknownUser(login: DemoStore.workerLogins[0])
        }
        let theirs = store.caseload().filter { AccessPolicy(user: leaving).canSee($0) }.count
        let deactivation = try time { try store.deactivateUser(login: DemoStore.workerLogins[0]) }
        store.close()

        let team = min(2_000, families)
        progress("a team of \(team) families exchanging bundles…")
        let sync = try syncFigures(team: team, directory: directory, clock: clock, create: create)
        let hubFigures = try hub.map { hub in
            try Bench.hubFigures(team: team, root: "\(directory)/team", directory: directory, clock: clock, admin: hub.address,
                                 adminPassword: hub.password, progress: progress)
        }

        #if DEBUG
        let build = "debug (figures are not representative: use swift build -c release)"
        #else
        let build = "release"
        #endif
        return BenchReport(
            families: families, machine: machine(), build: build, createSeconds: createMs / 1000, storeMegabytes: Double(size) / 1_048_576,
            keyDerivation: figure(kdf), unlock: figure(unlock), firstFrameAfterUnlock: figure(firstFrame),
            firstFrameWithoutKeyDerivation: figure(withoutKDF), caseloadMove: figure(moves), caseloadPageDown: figure(pages),
            searchKeystroke: figure(searches), dashboardFirstFrame: figure(dashboards), returnExport: figure(returns), subjectAccess: figure(subjects), subjectAccessEvents: largest?.events.count ?? 0,
            textIndexBuild: figure([built]), textIndexLines: textLines, textSearchKeystroke: figure(textSearches),
            noteKeystroke: figure(noteKeys), durableSave: figure(saves), rawWriteFsync: figure(raw),
            saveBytes: saveBytes, draftAutosave: figure(drafts), familyRead: figure(reads), workerFirstFrame: figure(worker),
            deactivation: figure([deactivation]), deactivatedFamilies: theirs, sync: sync, hub: hubFigures, peakMemoryMegabytes: peakMemoryMegabytes())
    }

    static func directorySize(_ root: String) -> Int {
        var total = 0
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let name = enumerator?.nextObject() as? String {
            total += (try? FileManager.default.attributesOfItem(atPath: "\(root)/\(name)")[.size] as? Int) ?? 0
        }
        return total
    }

    /// One figure as a line of the table: name, median, p99, budget.
    static func row(_ name: String, _ f: BenchReport.Figure, budget: String = "") -> String {
        let median = String(format: "%8.2f", f.median), p99 = String(format: "%8.2f", f.p99)
        return "\(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(median) \(p99)  \(budget)"
    }

    /// The report as a table for people.
    public static func table(_ r: BenchReport) -> String {
        return """
        Kith bench: \(r.families) families (\(r.build) build)
        Machine: \(r.machine)
        Created in \(String(format: "%.1f", r.createSeconds)) s; store \(String(format: "%.1f", r.storeMegabytes)) MB on disk

        \("figure (ms)".padding(toLength: 44, withPad: " ", startingAt: 0))   median      p99  budget
        \(row("passphrase key derivation (scrypt)", r.keyDerivation))
        \(row("unlock (open store, derivation included)", r.unlock))
        \(row("unlock to first caseload frame", r.firstFrameAfterUnlock))
        \(row("  the same without key derivation", r.firstFrameWithoutKeyDerivation, budget: "≤ 100"))
        \(row("caseload: move selection", r.caseloadMove, budget: "p99 ≤ 5"))
        \(row("caseload: page down", r.caseloadPageDown, budget: "p99 ≤ 5"))
        \(row("search: one character of a 5-letter query", r.searchKeystroke, budget: "p99 ≤ 10"))
        \(row("team dashboard: first frame", r.dashboardFirstFrame, budget: "≤ 100"))
        \(row("the quarter's return (CSV and Markdown)", r.returnExport))
        \(row("subject access, a family of \(r.subjectAccessEvents) events", r.subjectAccess))
        \(row("finding what was written: index of \(r.textIndexLines) lines built", r.textIndexBuild))
        \(row("  one character typed (all families)", r.textSearchKeystroke, budget: "p99 ≤ 50"))
        \(row("note of 5,000 characters: one keystroke", r.noteKeystroke, budget: "p99 ≤ 5"))
        \(row("durable save of one record (\(r.saveBytes) bytes)", r.durableSave, budget: "≤ 2× raw"))
        \(row("raw write + fdatasync of the same bytes", r.rawWriteFsync))
        \(row("draft autosave (assessment, 5,000-char note)", r.draftAutosave))
        \(row("a family from disk (key opened, signatures checked)", r.familyRead))
        \(row("a worker's unlock to first caseload frame", r.workerFirstFrame))
        \(row("deactivating a worker who reads \(r.deactivatedFamilies) families", r.deactivation))
        events merged per second (a family's events folded in a shuffled order): \(String(format: "%.0f", r.sync.eventsMergedPerSecond))
        \(row("bundle of everything, \(r.sync.teamFamilies) families (\(String(format: "%.1f", r.sync.firstJoinMegabytes)) MB): export", r.sync.exportEverything))
        \(row("  the same, taken in by a laptop joining", r.sync.importFirstJoin))
        \(row("one day's work (\(r.sync.dayItems) items): export", r.sync.exportDay))
        \(row("  the same, taken in", r.sync.importDay))
        \(r.hub.map(hubTable) ?? "team hub: not measured (kith bench --hub-url postgres://ADMIN@HOST/DATABASE)")
        peak resident memory: \(String(format: "%.0f", r.peakMemoryMegabytes)) MB (budget ≤ 150 MB at 10,000 families)
        """
    }

    static func hubTable(_ h: HubFigures) -> String {
        let perSecond = h.familiesPerSecond
        return """
        team hub on PostgreSQL, \(h.teamFamilies) families:
          the team's first push: \(h.entries) entries (\(String(format: "%.1f", h.megabytes)) MB) in \(String(format: "%.1f", h.firstPushSeconds)) s \
        (\(String(format: "%.0f", Double(h.entries) / max(h.firstPushSeconds, 0.001))) entries/s)
          a new laptop's initial pull: \(h.pulledFamilies) families in \(String(format: "%.1f", h.initialPullSeconds)) s \
        (\(String(format: "%.0f", perSecond)) families/s; \(String(format: "%.0f", perSecond / HubFigures.commCareCasesPerSecond))× CommCare's 25 cases/s)
          one day's work, \(h.dayEntries) entries, pushed in \(String(format: "%.2f", h.dayPushSeconds)) s
        \(row("  a save on one laptop to merged on another", h.saveToAppear))
        """
    }
}
