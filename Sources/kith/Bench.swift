import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Measure Kith's speed on a synthetic store (release build).")
    func run() throws {}
}
