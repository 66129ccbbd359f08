import Dispatch
import Synchronization

/// Performs effects away from the interface loop, one at a time and in the order they were
/// asked for, and keeps the messages they produce until the loop collects them. The loop
/// keeps reading keys and painting meanwhile: "Unlocking…" is on screen while the key is
/// derived, and typing never waits for a disk.
///
/// Effects run on one serial queue, so whatever they touch (the store) is only ever used
/// from one thread at a time.
final class EffectWorker<Effect, Message>: @unchecked Sendable {
    private struct State {
        var pending = 0
        var results: [Message] = []
    }

    /// An effect crossing to the worker's queue, and the messages crossing back: each is
    /// used on one side at a time.
    private struct Handoff: @unchecked Sendable { let effect: Effect }
    private struct Results: @unchecked Sendable { let messages: [Message] }

    private let queue = DispatchQueue(label: "kith.effects")
    private let perform: (Effect) -> [Message]
    private let state = Mutex(State())

    init(perform: @escaping (Effect) -> [Message]) {
        self.perform = perform
    }

    func submit(_ effect: Effect) {
        state.withLock { $0.pending += 1 }
        let handoff = Handoff(effect: effect)
        queue.async {
            let results = Results(messages: self.perform(handoff.effect))
            self.state.withLock {
                $0.results += results.messages
                $0.pending -= 1
            }
        }
    }

    /// Effects asked for and not finished yet.
    var isBusy: Bool { state.withLock { $0.pending > 0 } }

    /// The messages finished effects produced, in order; each is handed out once.
    func collect() -> [Message] {
        state.withLock { state in
            defer { state.results.removeAll() }
            return Results(messages: state.results)
        }.messages
    }

    /// Waits until every effect asked for so far has run.
    func waitUntilIdle() { queue.sync {} }
}
