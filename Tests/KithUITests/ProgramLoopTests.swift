import Testing
import KithCore
@testable import KithUI

/// A tiny model: counts key presses, asks the edge to "double" on `d`, stops on `q`.
struct Counter: ProgramModel {
    enum Message { case terminal(TerminalEvent), tick(Double), doubled(Int) }
    enum Effect: Equatable { case double(Int) }
    var count = 0
    var ticks = 0
    var isFinished = false

    static func terminal(_ event: TerminalEvent) -> Message { .terminal(event) }
    static func tick(_ now: Double) -> Message { .tick(now) }

    mutating func update(_ message: Message) -> [Effect] {
        switch message {
        case .terminal(.key(.char("q"))): isFinished = true
        case .terminal(.key(.char("d"))): return [.double(count)]
        case .terminal(.key): count += 1
        case .tick: ticks += 1
        case .doubled(let value): count = value
        default: break
        }
        return []
    }

    func render(into buffer: inout CellBuffer) {
        buffer.put("count \(count)", x: 0, y: 0, style: .plain)
    }
}

@Suite struct ProgramLoopTests {
    @Test func scriptedKeysRunThroughUpdateEffectsAndRender() {
        let backend = RecordingBackend(size: Size(width: 12, height: 2), script: [.key(.char("a")), .key(.char("b")), .key(.char("d")), .key(.char("q"))])
        var performed: [Counter.Effect] = []
        let loop = ProgramLoop(model: Counter(), backend: backend, clock: { 0 }) { effect in
            performed.append(effect)
            if case .double(let n) = effect { return [.doubled(n * 2)] }
            return []
        }
        loop.run()
        #expect(performed == [.double(2)])
        #expect(loop.model.count == 4)
        #expect(loop.model.isFinished)
        #expect(backend.lastFrame?.line(0) == "count 4     ")
        // The first frame paints everything; later frames only what changed.
        #expect(backend.paintedCells.first == 24)
        #expect(backend.paintedCells.dropFirst().allSatisfy { $0 <= 2 })
    }

    @Test func anExhaustedScriptStopsTheLoop() {
        let backend = RecordingBackend(size: Size(width: 12, height: 1), script: [.key(.char("a"))])
        let loop = ProgramLoop(model: Counter(), backend: backend, clock: { 0 }) { _ in [] }
        loop.run()
        #expect(loop.model.count == 1)
        #expect(!loop.model.isFinished)
        #expect(backend.frames.count >= 2)
    }
}
