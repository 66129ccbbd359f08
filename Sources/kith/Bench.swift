import ArgumentParser
import Foundation
import KithApp
import KithHub

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Kith's speed on a synthetic store in a temporary folder (use a release build).")

    @Option(help: "How many families.") var families = 10_000
    @Flag(help: "Print one JSON object with every figure.") var json = false
    @Option(help: "Multiply the number of samples of the cheap measurements.") var repetitions = 1
    @Option(help: ArgumentHelp("Measure the team hub too, on this PostgreSQL server (an administrator's address; a database of the bench's own is made there and dropped after).",
                               valueName: "url")) var hubUrl: String?
    @Option(help: ArgumentHelp("Read the administrator's password from this file.", valueName: "file")) var hubPasswordFile: String?

    func run() throws {
        umask(0o077)
        var template = Array((NSTemporaryDirectory() + "kith-bench-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw ValidationError("cannot make a temporary folder") }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let create: (String, Int) throws -> Void = { root, families in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["demo", "--store", root, "--families", String(families), "--seed", String(KithApp.Bench.seed),
                                 "--today", KithApp.Bench.day.iso]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ValidationError("kith demo failed (\(process.terminationStatus))") }
        }
        let hub = try hubUrl.map { url in
            (address: try HubAddress.parse(url), password: try hubPasswordFile.map(Launch.readPassphrase))
        }
        let report = try KithApp.Bench.run(families: families, directory: directory, repetitions: max(1, repetitions), create: create, hub: hub) { line in
            if !json { FileHandle.standardError.write(Data("\(line)\n".utf8)) }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(KithApp.Bench.table(report))
        }
    }
}
