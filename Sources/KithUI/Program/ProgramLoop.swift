/// A program in the Elm style: state updated by messages, effects returned as values,
/// a view rendered into a cell buffer. Nothing in a model touches the terminal or disk.
public protocol ProgramModel {
    associatedtype Message
    associatedtype Effect

    /// Handles one message; the returned effects are performed by the loop's performer,
    /// whose resulting messages come back through `update`.
    mutating func update(_ message: Message) -> [Effect]
    func render(into buffer: inout CellBuffer)
    var isFinished: Bool { get }

    static func terminal(_ event: TerminalEvent) -> Message
    /// Time passes (seconds since 1970): autosave, expiring messages.
    static func tick(_ now: Double) -> Message
}

/// Runs a model against a backend: read input, update, perform effects, render, paint
/// the difference. The same loop runs in the terminal and in tests.
///
/// With `inBackground`, `run()` hands effects to an `EffectWorker` and goes on reading keys
/// and painting; their messages come back through `update` as they finish. Without it (the
/// tests' default) every effect is performed before `send` returns, so a test sees the
/// whole consequence of a key at once.
public final class ProgramLoop<Model: ProgramModel> {
    public private(set) var model: Model
    public let backend: any TerminalBackend
    private let perform: (Model.Effect) -> [Model.Message]
    private let clock: () -> Double
    private var previous: CellBuffer?
    private let worker: EffectWorker<Model.Effect, Model.Message>?
    /// How long to wait for input before a tick (milliseconds).
    public var tickInterval = 250
    /// How often to look for finished effects while some are running (milliseconds).
    public var busyInterval = 15

    public init(model: Model, backend: any TerminalBackend, clock: @escaping () -> Double, inBackground: Bool = false,
                perform: @escaping (Model.Effect) -> [Model.Message]) {
        self.model = model
        self.backend = backend
        self.clock = clock
        self.perform = perform
        worker = inBackground ? EffectWorker(perform: perform) : nil
    }

    /// Runs until the model finishes (or a scripted backend runs out of input), then
    /// finishes the work it asked for (drafts written, the store closed).
    public func run() {
        present()
        while !model.isFinished {
            let busy = worker?.isBusy == true
            if let event = backend.nextEvent(timeoutMilliseconds: busy ? busyInterval : tickInterval) {
                send(Model.terminal(event))
                // Drain input that is already waiting before painting (fast typing, pastes).
                while !model.isFinished, let more = backend.nextEvent(timeoutMilliseconds: 0) {
                    send(Model.terminal(more))
                }
                // What the key started is under way: show the state it left ("Unlocking…").
                if worker?.isBusy == true { present() }
            } else if backend.isExhausted && !busy {
                break
            }
            deliverFinishedWork()
            if model.isFinished { break }
            send(Model.tick(clock()))
            present()
        }
        finishWork()
        present()
    }

    /// Swaps the model (tests adjust the context this way).
    public func replaceModel(_ model: Model) { self.model = model }

    /// Handles one message and every message its effects produce, in order (on the worker,
    /// their messages come back later through `deliverFinishedWork`).
    public func send(_ message: Model.Message) {
        var queue = [message]
        var index = 0
        while index < queue.count {
            let effects = model.update(queue[index])
            index += 1
            for effect in effects {
                if let worker { worker.submit(effect) } else { queue.append(contentsOf: perform(effect)) }
            }
        }
    }

    /// Hands the model what finished effects produced.
    private func deliverFinishedWork() {
        guard let worker else { return }
        for message in worker.collect() { send(message) }
    }

    /// Waits for every effect asked for, including those their messages ask for in turn.
    private func finishWork() {
        guard let worker else { return }
        while true {
            worker.waitUntilIdle()
            let messages = worker.collect()
            if messages.isEmpty && !worker.isBusy { return }
            for message in messages { send(message) }
        }
    }

    /// Renders the model and paints what changed.
    public func present() {
        let frame = render()
        backend.present(frame, previous: previous)
        previous = frame
    }

    public func render() -> CellBuffer {
        var buffer = CellBuffer(size: backend.size)
        model.render(into: &buffer)
        return buffer
    }
}
