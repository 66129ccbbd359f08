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
public final class ProgramLoop<Model: ProgramModel> {
    public private(set) var model: Model
    public let backend: any TerminalBackend
    private let perform: (Model.Effect) -> [Model.Message]
    private let clock: () -> Double
    private var previous: CellBuffer?
    /// How long to wait for input before a tick (milliseconds).
    public var tickInterval = 250

    public init(model: Model, backend: any TerminalBackend, clock: @escaping () -> Double,
                perform: @escaping (Model.Effect) -> [Model.Message]) {
        self.model = model
        self.backend = backend
        self.clock = clock
        self.perform = perform
    }

    /// Runs until the model finishes (or a scripted backend runs out of input).
    public func run() {
        present()
        while !model.isFinished {
            if let event = backend.nextEvent(timeoutMilliseconds: tickInterval) {
                send(Model.terminal(event))
                // Drain input that is already waiting before painting (fast typing, pastes).
                while !model.isFinished, let more = backend.nextEvent(timeoutMilliseconds: 0) {
                    send(Model.terminal(more))
                }
            } else if backend.isExhausted {
                break
            }
            if model.isFinished { break }
            send(Model.tick(clock()))
            present()
        }
        present()
    }

    /// Swaps the model (tests adjust the context this way).
    public func replaceModel(_ model: Model) { self.model = model }

    /// Handles one message and every message its effects produce, in order.
    public func send(_ message: Model.Message) {
        var queue = [message]
        var index = 0
        while index < queue.count {
            let effects = model.update(queue[index])
            index += 1
            for effect in effects { queue.append(contentsOf: perform(effect)) }
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
