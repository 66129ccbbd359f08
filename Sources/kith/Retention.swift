import ArgumentParser
import Foundation
import KithApp
import KithCore
import KithStore

/// `kith retention`: how long closed families are kept, what is due, and removing it.
struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "List closed families due for removal under the team's retention rule; set the rule; remove them for good (team leads).",
        subcommands: [List.self, Rule.self, Remove.self, Removed.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What is due for removal today (or by a later date, to plan) under the team's rule.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("What will be due by this date (YYYY-MM-DD); removal is always as of today.", valueName: "date")) var on: String?

        func validate() throws {
            if let on, Day(iso: on) == nil { throw ValidationError("--on must be a date, YYYY-MM-DD") }
        }

        func run() throws {
            try storeOptions.withStore(readOnly: true) { store, s in
                guard let rule = store.retentionRule else { print(s("cli.retention.noRule")); return }
                let day = on.flatMap(Day.init(iso:)) ?? Launch.today()
                let due = try store.retentionDue(today: day)
                print(s(on == nil ? "cli.retention.rule" : "cli.retention.ruleOn", ["rule": rule.summary, "n": String(due.count), "date": day.iso]))
                for item in due { print(line(item, s)) }
            }
        }
    }

    struct Rule: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set how many years after closure a family is kept, with other times for kinds of record (the longest a family holds counts).")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("Years after closure (1 to 99).", valueName: "n")) var years: Int?
        @Option(name: .customLong("kind"), help: ArgumentHelp("A kind of record kept for other years, as KIND=YEARS (e.g. safetyPlan=15); repeat for more.", valueName: "kind=n"))
        var kinds: [String] = []
        @ArgumentParser.Flag(help: "Clear the rule: nothing is due until one is set.") var clear = false

        func validate() throws {
            guard clear || years != nil else { throw ValidationError("give --years (and any --kind), or --clear") }
            if let years, !RetentionRule.yearsRange.contains(years) { throw ValidationError("--years must be 1 to 99") }
            _ = try parsedKinds()
        }

        func parsedKinds() throws -> [String: Int] {
            var result: [String: Int] = [:]
            for item in kinds {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let kind = RecordKind(rawValue: parts[0]), kind != .user, kind != .team,
                      let n = Int(parts[1]), RetentionRule.yearsRange.contains(n) else {
                    throw ValidationError("--kind must be KIND=YEARS with a kind of record (\(RecordKind.allCases.filter { $0 != .user && $0 != .team }.map(\.rawValue).joined(separator: ", "))) and 1 to 99 years")
                }
                result[kind.rawValue] = n
            }
            return result
        }

        func run() throws {
            try storeOptions.withStore { store, s in
                let rule = clear ? nil : RetentionRule(yearsAfterClosure: years ?? 0, byKind: try parsedKinds())
                try store.setRetentionRule(rule)
                print(rule.map { s("cli.retention.ruleSet", ["rule": $0.summary]) } ?? s("cli.retention.ruleCleared"))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove for good what is due (or one family of it): its record, drafts, attachments and printouts; a tombstone says who, when and under which rule.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("Only this family (it must be due).", valueName: "ref")) var family: String?
        @ArgumentParser.Flag(help: "Do not ask: remove what is due.") var yes = false

        func run() throws {
            try storeOptions.withStore { store, s in
                var due = try store.retentionDue(today: Launch.today())
                if let family {
                    due = due.filter { $0.reference.caseInsensitiveCompare(family) == .orderedSame }
                    guard !due.isEmpty else { throw LaunchError(message: s("cli.retention.notDue", ["ref": family])) }
                }
                guard !due.isEmpty else { print(s("cli.retention.nothingDue")); return }
                for item in due { print(line(item, s)) }
                if !yes {
                    // Typing the number, not "y": this cannot be undone.
                    print(s("cli.retention.confirm", ["n": String(due.count)]), terminator: " ")
                    guard readLine()?.trimmingCharacters(in: .whitespaces) == String(due.count) else {
                        throw LaunchError(message: s("cli.retention.notConfirmed"))
                    }
                }
                for item in due {
                    try store.removeForRetention(item.family, today: Launch.today())
                    print(s("cli.retention.removed", ["ref": item.reference]))
                }
            }
        }
    }

    struct Removed: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Families removed under the rule: reference, when, by whom, under which rule.")
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            try storeOptions.withStore(readOnly: true) { store, s in
                for t in store.tombstones {
                    print(s("cli.retention.tombstone", ["ref": t.reference, "date": t.on.iso, "name": store.userName(User.ID(t.by)), "rule": t.rule]))
                }
            }
        }
    }
}

private func line(_ item: RetentionDue, _ s: Strings) -> String {
    s("cli.retention.due", ["ref": item.reference, "closed": item.closedOn.iso, "years": String(item.years), "due": item.dueOn.iso])
}
