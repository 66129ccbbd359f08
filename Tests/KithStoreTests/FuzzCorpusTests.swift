import Foundation
import Testing
import KithFuzzTargets
@testable import KithStore

/// Every input the fuzzers kept (Tests/Fuzz/corpus/<target>/), and the generated seeds,
/// run through the same entry points in the ordinary suite: an input that once crashed a
/// parser stays fixed.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    @Test(arguments: FuzzTargets.names)
    func everyKeptInputIsHandled(target: String) throws {
        let directory = FuzzCorpusTests.corpus.appendingPathComponent(target)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.count >= 3, "the \(target) corpus is in the repository")
        for name in files {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
            FuzzTargets.run(target, bytes)
        }
        for seed in FuzzTargets.seeds()[target] ?? [] { FuzzTargets.run(target, seed) }
    }

    /// The seeds really are well-formed: a fuzzer that mutates garbage finds little.
    @Test func theFrameSeedsReadBackWhole() {
        let seeds = FuzzTargets.seeds()
        #expect(seeds["frames"]?.count == 5)
        #expect(FuzzTargets.authenticPayloads(seeds["frames"]?.first ?? []) == 2)
    }

    @Test func theKeySeedsAreWellFormed() throws {
        let payloads = try #require(FuzzTargets.seeds()["payloads"])
        let grants = try #require(payloads.first { $0.first == 6 })
        #expect(try KeyGrant.decode(Array(grants.dropFirst())).map(\.epoch) == [0])
        let match = try #require(payloads.first { $0.first == 7 })
        #expect(try MatchKeys.decode(Array(match.dropFirst())).words.count == 1)
    }
}
